/**
 * The Ink view of the revision browser: renders the state, maps keys to its
 * actions and runs the effects the state asks for (details, row counts,
 * running revisions, re-reading). Only the visible rows are rendered, so a
 * history of a thousand revisions draws as fast as one of ten.
 */
import { Box, Text, useApp, useInput } from 'ink';
import type { TextProps } from 'ink';
import { memo, useEffect, useReducer, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { FullScreen, KeysLine, useScreenSize } from '../util/full-screen.js';
import { Spinner } from '../util/spinner.js';
import { wrapRows } from '../util/wrap-rows.js';
import { DETAIL_TABS, reducer, selectedRow, visibleRows } from './browser-state.js';
import type { BrowserState, LossItem, Plan } from './browser-state.js';
import type { Details } from './details.js';
import { BASE } from './rows.js';
import type { Row } from './rows.js';
import type { BrowserSession } from './session.js';

// What each screen's keys do; `? help · q quit` follows where those keys work, and is never cut.
const KEYS: Record<BrowserState['screen'], string> = {
  list: '↑↓ move · enter details · u/d up/down to here · / filter · r reload',
  detail: 'tab operations/SQL/schema · ↑↓ scroll · u/d up/down to here · esc back',
  confirm: 'y run it · n cancel',
  running: 'enter back to the list',
};

function footerKeys(state: BrowserState): { keys: string; always?: string } {
  if (state.filtering) return { keys: 'type to filter · enter keep · esc clear' };
  if (state.screen === 'running') return finished(state) ? { keys: KEYS.running, always: 'q quit' } : { keys: 'running: each revision is all or nothing' };
  if (state.screen === 'confirm') return { keys: KEYS.confirm };
  return { keys: KEYS[state.screen], always: '? help · q quit' };
}

const HELP = [
  '↑/↓ or k/j   move            pgup/pgdn, g/G   page, first/last',
  'enter or →   details of the selected revision (tab: operations, SQL, schema diff)',
  'u            migrate up to the selected revision (applies what it needs)',
  'd            downgrade to the selected revision (<base>: unapply everything)',
  '/            filter by id, message or file; esc clears it',
  'r            re-read the revision files and the database',
  'esc or ←     back         q or ctrl-c   quit',
  'A confirmation always says what will run, and what data a downgrade would destroy.',
];

function finished(s: BrowserState): boolean {
  const status = s.run?.status;
  return status === 'done' || status === 'failed' || status === 'cancelled';
}

function short(id: string): string {
  return id === BASE ? BASE : id.slice(0, 12);
}

function stateLabel(r: Row): { text: string; color: string } {
  if (r.broken) return { text: 'unreadable', color: 'red' };
  if (r.current) return { text: r.id === BASE ? 'current' : r.head ? 'current · head' : 'current', color: 'green' };
  if (r.id === BASE) return { text: '', color: 'gray' };
  return r.applied ? { text: 'applied', color: 'green' } : { text: r.head ? 'pending · head' : 'pending', color: 'yellow' };
}

// Memoised: a move re-renders the two rows whose selection changed, not the whole window.
const RowLine = memo(function RowLine({ row, selected }: { row: Row; selected: boolean }) {
  const label = stateLabel(row);
  return (
    <Text wrap="truncate-end" inverse={selected}>
      <Text color="cyan">{selected ? '❯' : ' '}</Text>
      <Text color="magenta">{row.lanes} </Text>
      <Text color={row.current ? 'green' : undefined} bold={row.current}>
        {short(row.id).padEnd(12)}
      </Text>
      <Text dimColor> {(row.date ?? '').padEnd(16)} </Text>
      <Text color={label.color}>{label.text.padEnd(15)}</Text>
      {row.databases ? <Text dimColor>{row.databases.map((d) => `${d.name}${d.applied ? '✓' : '·'}`).join(' ') + ' '}</Text> : null}
      {row.problems.length ? <Text color="red">! </Text> : null}
      <Text>{row.merge ? `(merge) ${row.message}` : row.message}</Text>
    </Text>
  );
});

function List({ state, height }: { state: BrowserState; height: number }) {
  const rows = visibleRows(state);
  const at = Math.max(0, rows.findIndex((r) => r.id === state.selectedId));
  const start = Math.min(Math.max(0, at - Math.floor(height / 2)), Math.max(0, rows.length - height));
  const shown = rows.slice(start, start + height);
  const row = selectedRow(state);
  return (
    <Box flexDirection="column">
      {state.filtering || state.filter ? (
        <Text>
          <Text color="cyan">filter: </Text>
          {state.filter}
          {state.filtering ? <Text inverse> </Text> : null}
          <Text dimColor>{`  ${rows.length - 1} match${rows.length === 2 ? '' : 'es'}${state.filtering ? ' · enter keep · esc clear' : ''}`}</Text>
        </Text>
      ) : null}
      {shown.map((r) => (
        <RowLine key={r.id} row={r} selected={r.id === state.selectedId} />
      ))}
      {rows.length > height ? <Text dimColor>{`  ${start + 1}–${start + shown.length} of ${rows.length}`}</Text> : null}
      {row ? (
        <Box flexDirection="column" marginTop={rows.length > height ? 0 : 1}>
          <Text wrap="truncate-end" dimColor>
            {row.id === BASE ? '<base>: the database before any revision' : `${row.id} · ${row.file ? row.file.split(/[\\/]/).pop() : 'no file'}`}
          </Text>
          {row.problems.map((p, i) => (
            <Text key={i} color="red">
              ! {p}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

type Loaded = Details | { error: string } | undefined;

/**
 * The detail tabs as one row per node, so the view scrolls by rows: a line
 * wider than the screen (SQL above all, which decides what happens to the
 * data) is wrapped onto further rows, never cut.
 */
function detailLines(tab: BrowserState['tab'], d: Details, width: number): ReactNode[] {
  const heading = (t: string) => (
    <Text key={t} bold>
      {t}
    </Text>
  );
  const rows = (text: string, key: string, props: TextProps = {}) =>
    wrapRows([text], width).map((row, j) => (
      <Text key={`${key}.${j}`} {...props}>
        {row}
      </Text>
    ));
  const touches = d.databases ? rows(`databases it changes: ${d.databases.join(', ') || 'none'}`, 'dbs', { color: 'cyan' }) : [];
  if (tab === 'operations')
    return [
      ...touches,
      heading('upgrade'),
      ...(d.upgrade.length ? d.upgrade.flatMap((l, i) => rows(`  ${l}`, `u${i}`)) : [<Text key="u-" dimColor>  (nothing)</Text>]),
      heading('downgrade'),
      ...(d.downgrade.length ? d.downgrade.flatMap((l, i) => rows(`  ${l}`, `d${i}`)) : [<Text key="d-" dimColor>  (nothing)</Text>]),
    ];
  if (tab === 'sql') {
    const sql = (list: readonly string[], p: string) => list.flatMap((s, i) => s.split('\n').flatMap((l, j) => rows(`  ${l}`, `${p}${i}.${j}`, { color: 'cyan' })));
    return [heading('-- upgrade'), ...sql(d.upSql, 'u'), heading('-- downgrade'), ...sql(d.downSql, 'd')];
  }
  const lines: ReactNode[] = rows('schema before → after this revision, computed from the revision files', 'h', { dimColor: true });
  d.unknown.forEach((u, i) => lines.push(...rows(`  not followed (hand-written SQL): ${u}`, `x${i}`, { color: 'yellow' })));
  if (d.schema.every((l) => l.sign === ' ' || l.sign === '…')) lines.push(<Text key="none" dimColor>  (no schema change)</Text>);
  d.schema.forEach((l, i) =>
    lines.push(
      ...rows(l.sign === '…' ? `  … ${l.text}` : `${l.sign} ${l.text}`, `s${i}`, {
        color: l.sign === '+' ? 'green' : l.sign === '-' ? 'red' : undefined,
        dimColor: l.sign === ' ' || l.sign === '…',
      }),
    ),
  );
  return lines;
}

function detailBody(state: BrowserState, loaded: Loaded, width: number): ReactNode[] {
  const row = selectedRow(state);
  if (!row) return [];
  if (row.id === BASE) return [<Text key="b">The empty database, before any revision. Press d to unapply everything.</Text>];
  if (row.broken) return [<Text key="b" color="red">{row.problems.join('\n')}</Text>];
  if (!loaded) return [<Text key="l" color="cyan">Reading the revision and computing its schema…</Text>];
  if ('error' in loaded) return [<Text key="e" color="red">{`cannot show this revision: ${loaded.error}`}</Text>];
  return detailLines(state.tab, loaded, width);
}

function Detail({ state, body, height }: { state: BrowserState; body: ReactNode[]; height: number }) {
  const row = selectedRow(state);
  if (!row) return null;
  const tabs = (
    <Text>
      {DETAIL_TABS.map((t, i) => (
        <Text key={t} inverse={t === state.tab}>{` ${i + 1} ${t === 'sql' ? 'SQL' : t} `}</Text>
      ))}
    </Text>
  );
  const scroll = Math.min(state.scroll, Math.max(0, body.length - height));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{short(row.id)}</Text> {row.message} <Text color={stateLabel(row).color}>({stateLabel(row).text || 'base'})</Text>
      </Text>
      <Text dimColor wrap="truncate-end">
        {row.file ?? ''}
        {row.date ? ` · ${row.date}` : ''}
      </Text>
      {row.problems.map((p, i) => (
        <Text key={i} color="red" wrap="truncate-end">
          ! {p}
        </Text>
      ))}
      {tabs}
      <Box flexDirection="column">{body.slice(scroll, scroll + height)}</Box>
      {body.length > height ? <Text dimColor>{`  lines ${scroll + 1}–${Math.min(body.length, scroll + height)} of ${body.length} (↑↓ scroll)`}</Text> : null}
    </Box>
  );
}

function PlanList({ plan, state }: { plan: Plan; state: BrowserState }) {
  const byId = new Map(state.rows.map((r) => [r.id, r]));
  const arrow = plan.direction === 'upgrade' ? '▲' : '▼';
  const shown = plan.ids.slice(0, 8);
  return (
    <Box flexDirection="column">
      {shown.map((id) => (
        <Text key={id} wrap="truncate-end">
          {`  ${arrow} ${short(id)}  ${byId.get(id)?.message ?? ''}`}
        </Text>
      ))}
      {plan.ids.length > shown.length ? <Text dimColor>{`  … and ${plan.ids.length - shown.length} more`}</Text> : null}
    </Box>
  );
}

const SINGULAR: Record<string, string> = { rows: 'row', values: 'value', 'rows hold it': 'row holds it' };

function lossText(l: LossItem): string {
  if (!l.unit) return `${l.what} (no rows of its own)`;
  if (l.rows === null) return `${l.what}: could not count (${l.unit})`;
  return `${l.what}: ${l.rows} ${l.rows === 1 ? (SINGULAR[l.unit] ?? l.unit) : l.unit}`;
}

function Confirm({ state }: { state: BrowserState }) {
  const c = state.confirm;
  if (!c) return null;
  const { plan } = c;
  const target = plan.target === 'base' ? '<base>' : `${short(plan.target)} (${state.rows.find((r) => r.id === plan.target)?.message ?? ''})`;
  const n = plan.ids.length;
  const atStake = (c.loss ?? []).filter((l) => l.unit && l.rows !== 0);
  const blocked = state.rows.filter((r) => r.applied && r.problems.length > 0 && !r.broken).map((r) => r.id);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={plan.direction === 'upgrade' ? 'green' : 'yellow'} paddingX={1}>
      <Text bold>{plan.direction === 'upgrade' ? `Migrate up to ${target}?` : `Downgrade to ${target}?`}</Text>
      <Text>
        {plan.direction === 'upgrade' ? `Applies ${n} revision${n === 1 ? '' : 's'}, oldest first:` : `Unapplies ${n} revision${n === 1 ? '' : 's'}, newest first:`}
      </Text>
      <PlanList plan={plan} state={state} />
      {plan.direction === 'downgrade' ? (
        c.lossError ? (
          <Text color="red">{`Could not read what it would destroy: ${c.lossError}`}</Text>
        ) : c.loss === null ? (
          <Text color="cyan">Counting the rows at stake…</Text>
        ) : atStake.length === 0 ? (
          <Text color="green">No data is lost: nothing it drops holds rows.</Text>
        ) : (
          <Box flexDirection="column">
            <Text color="red" bold>
              Data that would be lost (counted now):
            </Text>
            {atStake.map((l, i) => (
              <Text key={i} color="red" wrap="truncate-end">{`  ! ${lossText(l)}`}</Text>
            ))}
          </Box>
        )
      ) : null}
      {blocked.length ? (
        <Text color="red">{`Applied revisions differ from their files (${blocked.map(short).join(', ')}): the move will stop before running anything unless browse was started with --ignore-checksums.`}</Text>
      ) : null}
      {state.notice ? <Text color="yellow">{state.notice}</Text> : null}
      <Text>
        <Text bold>y</Text> run it · <Text bold>n</Text> cancel
      </Text>
    </Box>
  );
}

function Running({ state, height, width }: { state: BrowserState; height: number; width: number }) {
  const run = state.run;
  if (!run) return null;
  // The newest rows that fit, after wrapping: the statement running now is always in view.
  const rows = run.lines.flatMap((l) => wrapRows([l.text], width).map((text) => ({ kind: l.kind, text })));
  const bar = run.status === 'running' && run.progress ? wrapRows([run.progress], width) : [];
  const lines = rows.slice(-Math.max(3, height - 4 - bar.length));
  const title = run.plan.direction === 'upgrade' ? 'Migrating up to' : 'Downgrading to';
  return (
    <Box flexDirection="column">
      <Text bold>{`${title} ${run.plan.target === 'base' ? '<base>' : short(run.plan.target)}`}</Text>
      {run.status === 'waiting' || run.status === 'cancelling' ? (
        <Text color="yellow">
          {run.status === 'cancelling'
            ? 'Cancelling…'
            : 'Another fastedgy process holds the migration lock on this database: waiting for it to finish (c to cancel)…'}
        </Text>
      ) : null}
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate-end" color={l.kind === 'revision' ? 'cyan' : l.kind === 'error' ? 'red' : undefined} dimColor={l.kind === 'statement'}>
          {l.text}
        </Text>
      ))}
      {bar.map((row, i) => (
        <Text key={`bar${i}`} color="cyan">
          {row}
        </Text>
      ))}
      {run.error ? <Text color="red">{run.error}</Text> : null}
      {run.status === 'done' || run.status === 'failed' || run.status === 'cancelled' ? (
        <Text color={run.status === 'done' ? 'green' : run.status === 'failed' ? 'red' : 'yellow'}>{state.notice}</Text>
      ) : run.status === 'starting' ? (
        <Spinner label="Taking the migration lock…" />
      ) : run.status === 'running' ? (
        <Spinner label={run.plan.direction === 'upgrade' ? 'Applying…' : 'Unapplying…'} />
      ) : null}
    </Box>
  );
}

export function Browser({ session, initial }: { session: BrowserSession; initial: BrowserState }) {
  const [state, dispatch] = useReducer(reducer, initial);
  const [details, setDetails] = useState<Record<string, Loaded>>({});
  const controller = useRef<AbortController | null>(null);
  const { exit } = useApp();
  const size = useScreenSize();
  const height = Math.max(4, size.rows - 7);

  const detail = state.screen === 'detail' ? detailBody(state, details[state.selectedId], Math.max(20, size.columns)) : [];
  const detailHeight = height - 3;
  useInput((input, key) => dispatch({ type: 'key', input, key, rows: height, maxScroll: Math.max(0, detail.length - detailHeight) }));

  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit]);

  useEffect(() => {
    if (!state.reloading) return;
    void session.snapshot().then(
      (snapshot) => {
        setDetails({});
        dispatch({ type: 'snapshot', snapshot });
      },
      (e: Error) => dispatch({ type: 'reloadFailed', error: e.message }),
    );
  }, [state.reloading]);

  const id = state.selectedId;
  useEffect(() => {
    if (state.screen !== 'detail' || id === BASE || details[id] || state.rows.find((r) => r.id === id)?.broken) return;
    void session.details(id).then(
      (d) => setDetails((m) => ({ ...m, [id]: d })),
      (e: Error) => {
        setDetails((m) => ({ ...m, [id]: { error: e.message } }));
        dispatch({ type: 'loadFailed', id, error: e.message });
      },
    );
  }, [state.screen, id, details]);

  const confirm = state.confirm;
  useEffect(() => {
    if (!confirm || confirm.loss !== null || confirm.lossError !== null) return;
    void session.loss(confirm.plan).then(
      (items) => dispatch({ type: 'loss', items }),
      (e: Error) => dispatch({ type: 'lossFailed', error: e.message }),
    );
  }, [confirm?.plan]);

  const status = state.run?.status;
  useEffect(() => {
    if (status === 'cancelling') controller.current?.abort();
    if (status !== 'starting' || !state.run) return;
    const c = new AbortController();
    controller.current = c;
    void session
      .run(
        state.run.plan,
        {
          line: (line) => dispatch({ type: 'runLine', line }),
          waiting: () => dispatch({ type: 'runWaiting' }),
          started: () => dispatch({ type: 'runStarted' }),
          progress: (text) => dispatch({ type: 'runProgress', text }),
        },
        c.signal,
      )
      .then((o) => dispatch({ type: 'runEnded', ok: o.ok, cancelled: o.cancelled, error: o.error, summary: o.summary }));
  }, [status]);

  const pending = state.rows.filter((r) => !r.applied && !r.broken).length;
  const at = state.snapshot.heads.length ? state.snapshot.heads.map(short).join(', ') : '<base>';
  let body: ReactNode;
  if (state.showHelp)
    body = (
      <Box flexDirection="column" borderStyle="round" paddingX={1}>
        <Text bold>Keys</Text>
        {HELP.map((h, i) => (
          <Text key={i}>{h}</Text>
        ))}
        <Text dimColor>any key closes this</Text>
      </Box>
    );
  else if (state.screen === 'detail') body = <Detail state={state} body={detail} height={detailHeight} />;
  else if (state.screen === 'confirm') body = <Confirm state={state} />;
  else if (state.screen === 'running') body = <Running state={state} height={height} width={Math.max(20, size.columns)} />;
  else body = <List state={state} height={height - 2} />;
  const header = (
    <Text wrap="truncate-end">
      <Text bold>fastedgy browse</Text>
      {session.database ? <Text color="cyan">{` [${session.database}]`}</Text> : null}
      <Text dimColor>{` · at ${at} · ${state.rows.length - 1 - state.snapshot.broken.length} revisions${pending ? `, ${pending} pending` : ''} · ${session.label}`}</Text>
    </Text>
  );
  const footer = (
    <Box flexDirection="column">
      {state.notice && state.screen !== 'running' && state.screen !== 'confirm' ? (
        <Text color="yellow" wrap="wrap">
          {state.notice}
        </Text>
      ) : null}
      <KeysLine {...footerKeys(state)} />
    </Box>
  );
  return (
    <FullScreen size={size} header={header} footer={footer}>
      {body}
    </FullScreen>
  );
}
