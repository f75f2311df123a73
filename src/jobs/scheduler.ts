import { Cron } from 'croner';
import { eq, sql } from 'drizzle-orm';
import type { JobDefinition, JobDeps } from './types';
import { jobRuns, jobState } from '../db/schema';
import { addDays, businessDateInZone, compareDates, isValidBusinessDate, type BusinessDate } from '../domain/business-date';
import { getStoreSettings } from '../features/settings/service';

export type JobOutcome =
  | { status: 'succeeded'; asOf: BusinessDate; result: Record<string, unknown> }
  | { status: 'failed'; asOf: BusinessDate; error: string }
  | { status: 'skipped'; asOf: BusinessDate; reason: 'running-elsewhere' | 'running-here' };


export class Scheduler {
  private crons: Cron[] = [];
  private running = new Set<string>();
  private inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly deps: JobDeps, private readonly jobs: JobDefinition[]) {}

  job(name: string): JobDefinition | undefined {
    return this.jobs.find((j) => j.name === name);
  }

  list() {
    return this.jobs;
  }

  async timeZone(): Promise<string> {
    return (await getStoreSettings(this.deps.db).catch(() => null))?.timeZone ?? 'UTC';
  }

  async today(): Promise<BusinessDate> {
    return businessDateInZone(this.deps.clock.now(), await this.timeZone());
  }

  /**
   * Runs one job for one business date, at most once at a time across every process on this database
   * (pg advisory lock) and within this process. Records the run; moves the job's "last completed" mark
   * forward, but never past today, so an `--as-of` run into the future doesn't make catch-up skip days.
   */
  async run(name: string, opts: { asOf?: BusinessDate; trigger?: string } = {}): Promise<JobOutcome> {
    const job = this.job(name);
    if (!job) throw new Error(`Unknown job "${name}". Known jobs: ${this.jobs.map((j) => j.name).join(', ')}`);
    const today = await this.today();
    const asOf = opts.asOf ?? today;
    if (!isValidBusinessDate(asOf)) throw new Error(`--as-of must be a date like 2027-01-01 (got "${asOf}")`);
    if (this.running.has(name)) return { status: 'skipped', asOf, reason: 'running-here' };
    this.running.add(name);
    const reserved = await this.deps.sql.reserve();
    try {
      const [{ locked }] = await reserved`select pg_try_advisory_lock(hashtext(${'forte-job:' + name})) as locked`;
      if (!locked) return { status: 'skipped', asOf, reason: 'running-elsewhere' };
      try {
        const [runRow] = await this.deps.db.insert(jobRuns).values({ jobName: name, asOf, trigger: opts.trigger ?? 'manual' }).returning({ id: jobRuns.id });
        try {
          const result = (await job.run(this.deps, asOf)) ?? {};
          const now = this.deps.clock.now();
          await this.deps.db.update(jobRuns).set({ status: 'succeeded', finishedAt: now, result }).where(eq(jobRuns.id, runRow.id));
          const mark = compareDates(asOf, today) > 0 ? today : asOf;
          await this.deps.db
            .insert(jobState)
            .values({ jobName: name, lastCompletedDate: mark, lastRunAt: now, lastStatus: 'succeeded', lastError: null })
            .onConflictDoUpdate({
              target: jobState.jobName,
              set: {
                lastCompletedDate: sql`greatest(${jobState.lastCompletedDate}, ${mark}::date)`,
                lastRunAt: now,
                lastStatus: 'succeeded',
                lastError: null,
              },
            });
          this.deps.logger.info('job succeeded', { job: name, asOf, result });
          return { status: 'succeeded', asOf, result };
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          const now = this.deps.clock.now();
          await this.deps.db.update(jobRuns).set({ status: 'failed', finishedAt: now, error: message }).where(eq(jobRuns.id, runRow.id));
          await this.deps.db
            .insert(jobState)
            .values({ jobName: name, lastRunAt: now, lastStatus: 'failed', lastError: message })
            .onConflictDoUpdate({ target: jobState.jobName, set: { lastRunAt: now, lastStatus: 'failed', lastError: message } });
          this.deps.logger.error('job failed', { job: name, asOf, error: message });
          return { status: 'failed', asOf, error: message };
        }
      } finally {
        await reserved`select pg_advisory_unlock(hashtext(${'forte-job:' + name}))`;
      }
    } finally {
      reserved.release();
      this.running.delete(name);
    }
  }

  /** Dates a job owes after downtime: every missed business date (each-day) or just today (once). */
  async missedDates(job: JobDefinition): Promise<BusinessDate[]> {
    const today = await this.today();
    const [state] = await this.deps.db.select().from(jobState).where(eq(jobState.jobName, job.name));
    const last = state?.lastCompletedDate ?? null;
    if (last && compareDates(last, today) >= 0) return [];
    if (job.catchUp === 'once' || !last) return [today];
    const dates: BusinessDate[] = [];
    for (let d = addDays(last, 1); compareDates(d, today) <= 0; d = addDays(d, 1)) dates.push(d);
    return dates;
  }

  /** Runs what was missed while the box was off, oldest date first; stops a job's catch-up at its first failure. */
  async catchUp(): Promise<JobOutcome[]> {
    const outcomes: JobOutcome[] = [];
    for (const job of this.jobs) {
      for (const date of await this.missedDates(job)) {
        if (this.stopped) return outcomes;
        const outcome = await this.run(job.name, { asOf: date, trigger: 'catch-up' });
        outcomes.push(outcome);
        if (outcome.status !== 'succeeded') break;
      }
    }
    return outcomes;
  }

  /** Catch up, then run each job on its cron schedule in the store's time zone. */
  async start(): Promise<void> {
    const timezone = await this.timeZone();
    const track = (p: Promise<unknown>) => {
      this.inFlight.add(p);
      p.finally(() => this.inFlight.delete(p));
    };
    track(this.catchUp().catch((err) => this.deps.logger.error('catch-up failed', { error: String(err) })));
    for (const job of this.jobs) {
      this.crons.push(
        new Cron(job.schedule, { timezone, protect: true, name: job.name }, () => {
          if (this.stopped) return;
          track(this.run(job.name, { trigger: 'schedule' }).catch((err) => this.deps.logger.error('job crashed', { job: job.name, error: String(err) })));
        }),
      );
    }
  }

  /** Stops triggering and waits for running jobs to finish (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of this.crons) c.stop();
    this.crons = [];
    await Promise.allSettled([...this.inFlight]);
  }
}
