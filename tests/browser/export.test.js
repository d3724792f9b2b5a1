// The site's annotations.jsonld validated against a JSON Schema of the W3C
// Web Annotation Data Model (tests/fixtures/web-annotation.schema.json),
// with ajv, for the default site and for the fixture with a bibliography
// (SCHOLION_APPARATUS), whose notes name the works they cite. Runs in the
// browser suite because it needs Node, not a browser.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const Ajv = require('ajv');

const SITE = process.env.SCHOLION_SITE;
const APPARATUS = process.env.SCHOLION_APPARATUS;
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

test('the annotations of a site with a bibliography are valid and name each cited work by its entry', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
  const data = JSON.parse(fs.readFileSync(path.join(APPARATUS, 'annotations.jsonld'), 'utf8'));
  assert.ok(validate(data), JSON.stringify(validate.errors && validate.errors.slice(0, 5), null, 2));
  const bibliography = fs.readFileSync(path.join(APPARATUS, 'bibliography.html'), 'utf8');
  const named = data.first.items.flatMap((a) => (a['dcterms:references'] || []).map((r) => r.id));
  assert.ok(named.length >= 5, `the fixture's notes cite works (${named})`);
  for (const id of named) {
    const [page, fragment] = id.split('#');
    assert.equal(page, 'bibliography.html', id);
    assert.ok(bibliography.includes(`id="${fragment}"`), `${id} is an entry of bibliography.html`);
  }
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
