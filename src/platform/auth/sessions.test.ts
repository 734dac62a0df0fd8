import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock, iso } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { createSession, destroyUserSessions, loadSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './sessions.ts';
import { hashToken } from './tokens.ts';

async function addUser(db: Db, clock: FixedClock, status: 'active' | 'disabled' = 'active') {
  const id = randomUUID();
  const now = iso(clock.now());
  await db
    .insertInto('users')
    .values({
      id,
      email: `${id}@example.gov`,
      display_name: 'T',
      staff_role: 'editor',
      status,
      password_hash: null,
      totp_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

describeEachDatabase('sessions', ({ handle }) => {
  it('stores only the hash of the token', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    const token = await createSession(db, clock, {
      userId: await addUser(db, clock),
      awaitingSecondFactor: false,
      secondFactorVerified: false,
    });
    const rows = await db.selectFrom('sessions').select('token_hash').execute();
    expect(rows).toEqual([{ token_hash: hashToken(token) }]);
  });

  it('end after 30 idle minutes', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    const token = await createSession(db, clock, {
      userId: await addUser(db, clock),
      awaitingSecondFactor: false,
      secondFactorVerified: true,
    });
    clock.advance(SESSION_IDLE_MS - 1000);
    expect(await loadSession(db, clock, token)).not.toBeNull(); // activity moves the idle deadline
    clock.advance(SESSION_IDLE_MS - 1000);
    expect(await loadSession(db, clock, token)).not.toBeNull();
    clock.advance(SESSION_IDLE_MS);
    expect(await loadSession(db, clock, token)).toBeNull();
    expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('end after 12 hours however active', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    const token = await createSession(db, clock, {
      userId: await addUser(db, clock),
      awaitingSecondFactor: false,
      secondFactorVerified: true,
    });
    for (let elapsed = 0; elapsed < SESSION_ABSOLUTE_MS - 20 * 60_000; elapsed += 20 * 60_000) {
      clock.advance(20 * 60_000);
      expect(await loadSession(db, clock, token), `after ${elapsed} ms`).not.toBeNull();
    }
    clock.advance(20 * 60_000);
    expect(await loadSession(db, clock, token)).toBeNull();
  });

  it('do not work for disabled accounts, and can all be ended but one', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    const disabled = await addUser(db, clock, 'disabled');
    const token = await createSession(db, clock, { userId: disabled, awaitingSecondFactor: false, secondFactorVerified: false });
    expect(await loadSession(db, clock, token)).toBeNull();

    const user = await addUser(db, clock);
    const keep = await createSession(db, clock, { userId: user, awaitingSecondFactor: false, secondFactorVerified: false });
    const other = await createSession(db, clock, { userId: user, awaitingSecondFactor: false, secondFactorVerified: false });
    expect(await destroyUserSessions(db, user, hashToken(keep))).toBe(1);
    expect(await loadSession(db, clock, keep)).not.toBeNull();
    expect(await loadSession(db, clock, other)).toBeNull();
  });
});
