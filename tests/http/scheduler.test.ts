import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { makeTestApp, resetDb, testConfig, testDb, type TestContext } from '../helpers';
import { Scheduler } from '../../src/jobs/scheduler';
import { sessionCleanupJob } from '../../src/jobs/session-cleanup';
import type { JobDefinition } from '../../src/jobs/types';
import { connect } from '../../src/db/client';
import { silentLogger } from '../../src/logging';
import { settableClock } from '../../src/domain/clock';
import { testEnv } from '../helpers';
import { sessions, staffUsers } from '../../src/db/schema';

let t: TestContext;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
});

function recordingJob(name: string, catchUp: 'each-day' | 'once', ran: string[], delayMs = 0): JobDefinition {
  return {
    name,
    description: 'test job',
    schedule: '0 3 * * *',
    catchUp,
    async run(_deps, asOf) {
      ran.push(asOf);
      if (delayMs) await Bun.sleep(delayMs);
      return { asOf };
    },
  };
}

const schedulerWith = (jobs: JobDefinition[], clock = t.clock, handle = testDb()) =>
  new Scheduler({ db: handle.db, sql: handle.sql, config: testConfig(), clock, logger: silentLogger }, jobs);

describe('scheduler', () => {
  test('each-day jobs catch up once per missed business date, in order; once-jobs run a single time', async () => {
    const daily: string[] = [];
    const once: string[] = [];
    const clock = settableClock('2026-11-20T12:00:00Z');
    const scheduler = schedulerWith([recordingJob('daily', 'each-day', daily), recordingJob('cleanup', 'once', once)], clock);
    await scheduler.catchUp();
    expect(daily).toEqual(['2026-11-20']);
    expect(once).toEqual(['2026-11-20']);
    clock.set('2026-11-24T12:00:00Z'); // the box was off for four days
    await scheduler.catchUp();
    expect(daily).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24']);
    expect(once).toEqual(['2026-11-20', '2026-11-24']);
    await scheduler.catchUp(); // nothing owed
    expect(daily.length).toBe(5);
    const runs = await t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from job_runs where job_name = 'daily' and status = 'succeeded'`);
    expect(runs[0].n).toBe(5);
  });

  test('an --as-of run in the future never moves the last-completed mark past today', async () => {
    const ran: string[] = [];
    const clock = settableClock('2026-11-24T12:00:00Z');
    const scheduler = schedulerWith([recordingJob('daily', 'each-day', ran)], clock);
    await scheduler.run('daily', { asOf: '2027-01-01' });
    const [state] = await t.deps.db.execute<{ d: string }>(sql`select last_completed_date::text as d from job_state where job_name = 'daily'`);
    expect(state.d).toBe('2026-11-24');
    clock.set('2026-11-26T12:00:00Z');
    await scheduler.catchUp();
    expect(ran).toEqual(['2027-01-01', '2026-11-25', '2026-11-26']);
  });

  test('two runners on different connections never run the same job at the same time', async () => {
    const ran: string[] = [];
    const other = connect(testEnv().url, { max: 2 });
    try {
      const a = schedulerWith([recordingJob('slow', 'once', ran, 400)]);
      const b = schedulerWith([recordingJob('slow', 'once', ran, 400)], t.clock, other);
      const [ra, rb] = await Promise.all([a.run('slow'), b.run('slow')]);
      expect([ra.status, rb.status].sort()).toEqual(['skipped', 'succeeded']);
      expect(ran.length).toBe(1);
      const skipped = ra.status === 'skipped' ? ra : rb;
      expect(skipped.status === 'skipped' && skipped.reason).toBe('running-elsewhere');
      // Once the first finished, the job can run again.
      expect((await b.run('slow')).status).toBe('succeeded');
    } finally {
      await other.close();
    }
  });

  test('a failing job is recorded and stops its own catch-up', async () => {
    const clock = settableClock('2026-11-24T12:00:00Z');
    const failing: JobDefinition = { name: 'boom', description: 'x', schedule: '0 3 * * *', catchUp: 'each-day', run: async () => { throw new Error('disk full'); } };
    const scheduler = schedulerWith([failing], clock);
    const [outcome] = await scheduler.catchUp();
    expect(outcome.status).toBe('failed');
    const [state] = await t.deps.db.execute<any>(sql`select last_status, last_error, last_completed_date from job_state where job_name = 'boom'`);
    expect(state).toEqual({ last_status: 'failed', last_error: 'disk full', last_completed_date: null });
  });

  test('session-cleanup deletes expired and idle sessions only', async () => {
    const [user] = await t.deps.db.insert(staffUsers).values({ username: 'x', name: 'X', passwordHash: 'x' }).returning();
    const now = new Date('2026-11-24T12:00:00Z');
    await t.deps.db.insert(sessions).values([
      { tokenHash: 'live', userId: user.id, lastSeenAt: now, expiresAt: new Date(now.getTime() + 3_600_000) },
      { tokenHash: 'expired', userId: user.id, lastSeenAt: now, expiresAt: new Date(now.getTime() - 1000) },
      { tokenHash: 'idle', userId: user.id, lastSeenAt: new Date(now.getTime() - 9 * 3_600_000), expiresAt: new Date(now.getTime() + 3_600_000) },
    ]);
    const scheduler = schedulerWith([sessionCleanupJob], settableClock(now));
    const outcome = await scheduler.run('session-cleanup');
    expect(outcome.status).toBe('succeeded');
    expect(outcome.status === 'succeeded' && outcome.result.sessions_deleted).toBe(2);
    const left = await t.deps.db.select({ h: sessions.tokenHash }).from(sessions);
    expect(left.map((r) => r.h)).toEqual(['live']);
  });
});
