# Installs the `scholion` program on Windows from the project's releases, no
# Rust needed. In PowerShell:
#
#   irm @SCHOLION_REPOSITORY@/releases/latest/download/install.ps1 | iex
#
# It downloads the archive, checks it against its SHA-256 checksum, puts
# scholion.exe into %LOCALAPPDATA%\Programs\scholion (or
# $env:SCHOLION_INSTALL_DIR) and adds that folder to your PATH. The release
# workflow fills in the address above (scripts/dist.sh --installers).
$ErrorActionPreference = 'Stop'
$Repository = if ($env:SCHOLION_REPOSITORY) { $env:SCHOLION_REPOSITORY } else { '@SCHOLION_REPOSITORY@' }
if ($Repository.StartsWith('@')) { throw "This is the installer's source: use the install.ps1 attached to a release." }
$Base = if ($env:SCHOLION_DOWNLOAD_URL) { $env:SCHOLION_DOWNLOAD_URL }
        elseif ($env:SCHOLION_VERSION) { "$Repository/releases/download/v$($env:SCHOLION_VERSION)" }
        else { "$Repository/releases/latest/download" }
$Dest = if ($env:SCHOLION_INSTALL_DIR) { $env:SCHOLION_INSTALL_DIR } else { Join-Path $env:LOCALAPPDATA 'Programs\scholion' }
$Name = 'scholion-x86_64-pc-windows-msvc'
$Tmp = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
New-Item -ItemType Directory -Path $Tmp | Out-Null
try {
    Write-Host "Downloading $Base/$Name.zip"
    Invoke-WebRequest "$Base/$Name.zip" -OutFile "$Tmp\$Name.zip" -UseBasicParsing
    Invoke-WebRequest "$Base/$Name.zip.sha256" -OutFile "$Tmp\$Name.zip.sha256" -UseBasicParsing
    $Expected = ((Get-Content "$Tmp\$Name.zip.sha256" -Raw).Trim() -split '\s+')[0]
    $Actual = (Get-FileHash "$Tmp\$Name.zip" -Algorithm SHA256).Hash
    if ($Actual -ne $Expected) { throw 'The download is damaged (its SHA-256 checksum does not match): try again.' }
    Expand-Archive "$Tmp\$Name.zip" -DestinationPath $Tmp -Force
    New-Item -ItemType Directory -Force -Path $Dest | Out-Null
    Copy-Item "$Tmp\$Name\scholion.exe" $Dest -Force
} finally {
    Remove-Item $Tmp -Recurse -Force -ErrorAction SilentlyContinue
}
$UserPath = [Environment]::GetEnvironmentVariable('Path', 'User')
if (-not (($UserPath -split ';') -contains $Dest)) {
    [Environment]::SetEnvironmentVariable('Path', (($UserPath, $Dest) -ne '' -join ';'), 'User')
    Write-Host "Added $Dest to your PATH: open a new PowerShell window to use scholion."
}
Write-Host "Installed $(& "$Dest\scholion.exe" --version) into $Dest"
