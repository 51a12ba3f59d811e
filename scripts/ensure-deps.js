// `npm test` on a fresh clone: install the locked dependencies first if they are missing.
const { existsSync } = require('node:fs');
const { execSync } = require('node:child_process');
if (!existsSync('node_modules/.package-lock.json')) {
  console.log('node_modules missing: running npm ci first');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
