/**
 * The SPA's translations, run by scripts/test-browser.sh with the browser tests (it needs no browser):
 * English and French have exactly the same keys, no message is empty, every key the sources pass
 * to t('…') exists in both (a plural key as its _one and _other forms), and no component shows
 * hard-coded English (JSX text, a label/placeholder/title/aria-label/empty/hint attribute, or a
 * capitalised string literal such as header: 'Name' or {saving ? 'Saving…' : 'Save'}).
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

/** Text that is the same in every language: brand, formats, units, examples. */
const UNTRANSLATED = new Set([
  'Crescendo',
  'Ctrl K',
  'HTTP',
  'ms',
  'URL',
  'Europe/Paris',
  'https://hooks.example.com/crescendo',
  'import-2026-11',
  '0 9 * * 1',
  '9.99',
]);
/** Literals that are code, not UI: keys, DOM names, type names. */
const CODE = /^(Enter|Escape|Tab|Promise|Segoe UI|Authorization|Bearer .*)$/;

/** Blank out comments (keeping line numbers) so that prose in them is not taken for UI text. */
const withoutComments = (text: string) =>
  text
    // <Trans>'s children are its default text: the message comes from its i18nKey
    .replace(/<Trans\b[\s\S]*?<\/Trans>/g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');

/** Hard-coded UI strings in a component's source: where they are, and the text. */
function hardCoded(source: string): { line: number; text: string }[] {
  const text = withoutComments(source);
  const found: { index: number; text: string }[] = [];
  const patterns = [
    // JSX text between tags: >Save<
    />\s*([^<>{}=;()`]*[A-Za-zÀ-ÿ]{2,}[^<>{}=;()`]*?)\s*</g,
    // a UI attribute with a literal: label="Name"
    /\b(?:label|placeholder|title|aria-label|question|confirmLabel|submitLabel|empty|hint|alt)=["']([^"']*[A-Za-z]{2,}[^"']*)["']/g,
    // a capitalised literal in code: header: 'Name', ? 'Saving…' : 'Save'
    /(?<![\w.$])['"`]([A-ZÀ-Ý][a-zà-ÿ’]+[^'"`\n]*)['"`]/g,
  ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const value = m[1].trim();
      const before = text.slice(Math.max(0, m.index - 12), m.index);
      if (!value || UNTRANSLATED.has(value) || CODE.test(value)) continue;
      // a default text inside <Trans>, or a message key's fallback, is not shown as such
      if (/(\bt\(|i18nKey=|exists\()\s*$/.test(before)) continue;
      // code that looks like text between > and < (generics, arrows, conditions, member access)
      if (/\|\||&&|===|=>|\?\s|'\s|\.\w|^[:?]/.test(value)) continue;
      found.push({ index: m.index, text: value });
    }
  }
  const located = found.map((f) => ({ line: text.slice(0, f.index).split('\n').length, text: f.text }));
  // an attribute's literal is also a capitalised literal: report it once
  return located.filter((f, i) => located.findIndex((g) => g.line === f.line && g.text === f.text) === i);
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
  for (const file of await sourceFiles(SOURCES)) {
    if (!file.endsWith('.tsx')) continue;
    for (const { line, text } of hardCoded(await readFile(file, 'utf8')))
      problems.push(`${file.slice(SOURCES.length + 1)}:${line} shows hard-coded text: ${JSON.stringify(text)}`);
  }
  // the scan itself must catch what it is for
  const probe = hardCoded(`<h2>Record an earning</h2><Field label="Amount" />{x ? 'Saving…' : t('a.b')}`);
  if (probe.length !== 3) problems.push(`the hard-coded text scan missed a probe: ${JSON.stringify(probe)}`);
  for (const problem of problems) console.log(`  ✗ ${problem}`);
  console.log(`  ${english.size} keys per language, ${used} uses checked`);
  console.log(`i18n: ${problems.length === 0 ? 1 : 0} passed, ${problems.length === 0 ? 0 : 1} failed`);
  return problems.length === 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
