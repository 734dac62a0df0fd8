import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase, type Engine } from '../../../test/support/databases.ts';
import type { Db } from '../../platform/db/database.ts';

// Issue 4, "Data minimisation": the subscriber record holds only the e-mail address, status,
// consent evidence and timestamps (topic memberships with their frequency live in `subscriptions`).
// No names, no raw IP addresses, no open or click tracking. This test pins the schema to that rule
// on both engines, so a migration that adds a column fails here and has to argue its case.

const SUBSCRIBER_COLUMNS = [
  'id',
  'email',
  'status',
  'consent_at',
  'consent_source',
  'consent_ip_hash',
  'consent_user_agent',
  'confirmed_at',
  'unsubscribed_at',
  'created_at',
  'updated_at',
];

const RULE =
  'Issue 4 (data minimisation): a subscriber record holds only e-mail, status, consent evidence and timestamps. ' +
  'Do not add columns to `subscribers` (no names, raw IP addresses or tracking); if one is truly needed, change the rule in issue 4 first.';

/** Every column of every table in the test database, as [table, column]. */
async function allColumns(db: Db, engine: Engine): Promise<[string, string][]> {
  if (engine === 'postgres') {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`.execute(db);
    return rows.map((r) => [r.table_name, r.column_name]);
  }
  const { rows: tables } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(db);
  const columns: [string, string][] = [];
  for (const { name } of tables) {
    const { rows } = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${name}) ORDER BY cid`.execute(db);
    for (const column of rows) columns.push([name, column.name]);
  }
  return columns;
}

/** Open and click tracking, under any of the usual names (opened_at, open_count, clicks, last_click…). */
const TRACKING = /(^|_)(opens?|opened|open_count|clicks?|clicked|click_count|tracking|tracked|pixel|read_receipt|viewed)(_|$)/;

/** A column that holds a client address; only a keyed hash of one is allowed (consent_ip_hash, ip_hash). */
function holdsRawIp(column: string): boolean {
  const words = column.split('_');
  const aboutIp =
    words.includes('ip') || words.includes('ipv4') || words.includes('ipv6') || column === 'remote_addr' || column === 'remote_address';
  return aboutIp && words.at(-1) !== 'hash';
}

describeEachDatabase('subscriber data minimisation (issue 4)', ({ handle, engine }) => {
  it('the subscribers table has exactly the allowed columns', async () => {
    const columns = (await allColumns(handle().db, engine)).filter(([table]) => table === 'subscribers').map(([, column]) => column);
    const extra = columns.filter((c) => !SUBSCRIBER_COLUMNS.includes(c));
    const missing = SUBSCRIBER_COLUMNS.filter((c) => !columns.includes(c));
    expect(extra, `${RULE} Unexpected column(s): ${extra.join(', ')}`).toEqual([]);
    expect(missing, `The subscribers table lost column(s): ${missing.join(', ')}`).toEqual([]);
    expect([...columns].sort()).toEqual([...SUBSCRIBER_COLUMNS].sort());
  });

  it('no table has open or click tracking columns, and none stores a raw IP address', async () => {
    const columns = await allColumns(handle().db, engine);
    expect(columns.length).toBeGreaterThan(50);
    const tracking = columns.filter(([, column]) => TRACKING.test(column)).map((c) => c.join('.'));
    expect(tracking, 'Issue 4: no open or click tracking, per subscriber or otherwise.').toEqual([]);
    const rawIp = columns.filter(([, column]) => holdsRawIp(column)).map((c) => c.join('.'));
    expect(rawIp, 'No IP addresses anywhere except a keyed hash (reliability.md §5).').toEqual([]);
    // The hashes that are allowed are there, so the check above looked at the right columns.
    expect(columns.map((c) => c.join('.'))).toEqual(
      expect.arrayContaining(['subscribers.consent_ip_hash', 'subscription_requests.ip_hash']),
    );
  });

  it('the checks catch what they are meant to', () => {
    for (const name of ['opened_at', 'open_count', 'opens', 'clicked_at', 'click_count', 'last_click', 'tracking_pixel']) {
      expect(TRACKING.test(name), name).toBe(true);
    }
    for (const name of ['ip', 'ip_address', 'client_ip', 'consent_ip', 'remote_addr']) expect(holdsRawIp(name), name).toBe(true);
    for (const name of ['consent_ip_hash', 'ip_hash', 'recipients', 'description', 'opening_hours', 'scheduled_for']) {
      expect(TRACKING.test(name) || holdsRawIp(name), name).toBe(false);
    }
  });
});
