// The site's annotations.jsonld validated against a JSON Schema of the W3C
// Web Annotation Data Model (tests/fixtures/web-annotation.schema.json),
// with ajv. Runs in the browser suite because it needs Node, not a browser.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const Ajv = require('ajv');

const SITE = process.env.SCHOLION_SITE;
const SCHEMA = path.join(__dirname, '..', 'fixtures', 'web-annotation.schema.json');

test('annotations.jsonld is a valid W3C annotation collection', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
  const data = JSON.parse(fs.readFileSync(path.join(SITE, 'annotations.jsonld'), 'utf8'));
  const ok = validate(data);
  assert.ok(ok, JSON.stringify(validate.errors && validate.errors.slice(0, 5), null, 2));
  assert.ok(data.first.items.length > 100, 'every note and link of the default site is there');
  assert.equal(data.total, data.first.items.length);
});

test('the schema rejects what the model forbids', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
  const good = JSON.parse(fs.readFileSync(path.join(SITE, 'annotations.jsonld'), 'utf8'));
  const broken = JSON.parse(JSON.stringify(good));
  delete broken.first.items[0].target;
  assert.equal(validate(broken), false, 'an annotation without a target');
  const noExact = JSON.parse(JSON.stringify(good));
  delete noExact.first.items[0].target.selector[0].exact;
  assert.equal(validate(noExact), false, 'a TextQuoteSelector without exact');
  const badContext = JSON.parse(JSON.stringify(good));
  badContext['@context'] = 'http://example.org/other.jsonld';
  assert.equal(validate(badContext), false, 'another @context');
});
