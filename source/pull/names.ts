/**
 * Names for what `pull` writes: a TypeScript constant per enum, model and
 * view, derived from the database name (models: PascalCase singular of the
 * table, `users` → `User`), and never two alike in one module.
 */

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

// What the generated module imports, and words a `const` cannot be named.
const TAKEN = new Set([
  'defineModel', 'defineEnum', 'defineView', 'fields', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue',
  'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if',
  'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected',
  'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while',
  'with', 'yield',
]);

export function isIdentifier(name: string): boolean {
  return IDENT.test(name);
}

/** `user_accounts` → `UserAccounts`; whatever is not a letter or digit separates words. */
export function pascalCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const text = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  if (text === '') return 'Unnamed';
  return /^[0-9]/.test(text) ? `T${text}` : text;
}

// Words the rules below would get wrong.
const IRREGULAR: Readonly<Record<string, string>> = {
  people: 'person', children: 'child', men: 'man', women: 'woman', news: 'news', series: 'series', species: 'species',
  data: 'data', media: 'media', indices: 'index', matrices: 'matrix', analyses: 'analysis', movies: 'movie',
};

/** The singular of an English plural, good enough for table names (`categories`, `addresses`, `statuses`). */
export function singular(word: string): string {
  const lower = word.toLowerCase();
  const irregular = IRREGULAR[lower];
  if (irregular !== undefined) return word[0] + irregular.slice(1);
  const cut = (n: number, add = '') => word.slice(0, word.length - n) + add;
  if (lower.length > 3 && lower.endsWith('ies')) return cut(3, word.endsWith('IES') ? 'Y' : 'y');
  if (/(ss|x|z|ch|sh)es$/.test(lower)) return cut(2);
  if (/[^aeiou]uses$/.test(lower)) return cut(2); // statuses, bonuses (not houses)
  if (/(ss|us|is)$/.test(lower)) return word;
  if (lower.length > 1 && lower.endsWith('s')) return cut(1);
  return word;
}

/** The model name of a table: PascalCase of its words, the last one singular. */
export function modelNameOf(table: string): string {
  const words = table.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.length > 0) words[words.length - 1] = singular(words[words.length - 1]);
  return pascalCase(words.join('_'));
}

/** Hands out module-level constant names, each once. */
export class NamePool {
  private readonly used = new Set<string>(TAKEN);

  /** `preferred`, else `preferred + suffix`, else numbered. */
  claim(preferred: string, suffix: string): string {
    const candidates = [preferred, preferred + suffix];
    for (const c of candidates) {
      if (!this.used.has(c)) {
        this.used.add(c);
        return c;
      }
    }
    for (let i = 2; ; i++) {
      const c = `${preferred}${suffix}${i}`;
      if (!this.used.has(c)) {
        this.used.add(c);
        return c;
      }
    }
  }
}
