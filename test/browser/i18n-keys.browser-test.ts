/**
 * The SPA's translations, run by scripts/test-browser.sh with the browser tests (it needs no browser):
 * English and French have exactly the same keys, no message is empty, and every key the sources pass
 * to t('…') exists in both (a plural key as its _one and _other forms).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { en } from '../../apps/web/src/i18n/en';
import { fr } from '../../apps/web/src/i18n/fr';

type Tree = { [key: string]: string | Tree };
const SOURCES = join(__dirname, '../../apps/web/src');

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat().filter((f) => /\.tsx?$/.test(f) && !f.includes('/i18n/'));
}

async function main(): Promise<number> {
  const problems: string[] = [];
  const english = flatten(en);
  const french = flatten(fr as Tree);
  for (const key of english.keys()) if (!french.has(key)) problems.push(`missing in fr: ${key}`);
  for (const key of french.keys()) if (!english.has(key)) problems.push(`missing in en: ${key}`);
  for (const [lang, messages] of [['en', english] as const, ['fr', french] as const]) {
    for (const [key, text] of messages) if (!text.trim()) problems.push(`empty in ${lang}: ${key}`);
  }
  let used = 0;
  for (const file of await sourceFiles(SOURCES)) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/\bt\(\s*'([a-zA-Z]+\.[a-zA-Z0-9_.]+)'/g)) {
      used += 1;
      const key = match[1];
      const known = (m: Map<string, string>) => m.has(key) || (m.has(`${key}_one`) && m.has(`${key}_other`));
      if (!known(english) || !known(french))
        problems.push(`${file.slice(SOURCES.length + 1)} uses a missing key: ${key}`);
    }
  }
  if (used < 50) problems.push(`only ${used} t('…') calls found: the scan is broken`);
  for (const problem of problems) console.log(`  ✗ ${problem}`);
  console.log(`  ${english.size} keys per language, ${used} uses checked`);
  console.log(`i18n: ${problems.length === 0 ? 1 : 0} passed, ${problems.length === 0 ? 0 : 1} failed`);
  return problems.length === 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
