/**
 * What `makemigrations` prints when questions are left open and nobody can
 * answer them here (no terminal): every question with its id, what is at
 * stake, its choices, and an answers file that would answer them.
 */
import type { Choice, Question } from '../../diff/questions.js';
import { exampleAnswers } from '../../diff/questions.js';

export function choiceText(c: Choice): string {
  const a = c.answer as unknown;
  if (typeof a === 'object' && a !== null && 'input' in a) {
    const kind = (a as { input: string }).input;
    if (kind === 'value') return '{"value": <literal>}';
    if (kind === 'sql') return '{"sql": "<expression>"}';
    if (kind === 'using') return '{"using": "<expression>"}';
    return '{"renameTo": "<value>"}';
  }
  return JSON.stringify(a);
}

export function questionsReport(questions: readonly Question[]): string {
  const lines: string[] = [];
  lines.push(`makemigrations needs ${questions.length === 1 ? 'an answer to 1 question' : `answers to ${questions.length} questions`}:`);
  for (const q of questions) {
    lines.push('');
    lines.push(`  ${q.id}`);
    lines.push(`    ${q.text}`);
    if (q.stake) lines.push(`    at stake: ${q.stake}`);
    lines.push('    choices:');
    for (const c of q.choices) {
      const id = c.id && c.id !== q.id ? `  (answers "${c.id}")` : '';
      lines.push(`      ${choiceText(c).padEnd(28)} ${c.label}${c.hint ? ` — ${c.hint}` : ''}${id}`);
    }
  }
  lines.push('');
  lines.push('Nothing was written. Answer them in a JSON file and run again with --answers FILE, for example:');
  lines.push(JSON.stringify(exampleAnswers(questions), null, 2));
  return lines.join('\n');
}
