import { UsageError, stringOption, type ParsedArgs } from './args';
import { withRuntime } from './context';
import { Scheduler } from '../jobs/scheduler';
import { ALL_JOBS } from '../jobs/registry';
import { jobState } from '../db/schema';
import { isValidBusinessDate } from '../domain/business-date';

/** `forte jobs list` and `forte jobs run NAME [--as-of DATE]`. */
export async function jobsCommand(args: ParsedArgs): Promise<number> {
  const [, sub, name] = args.positionals;
  const asOf = stringOption(args, 'as-of');
  if (asOf !== undefined && !isValidBusinessDate(asOf)) throw new UsageError(`--as-of must be a date like 2027-01-01 (got "${asOf}")`);
  if (sub !== 'list' && sub !== 'run') throw new UsageError('usage: forte jobs list | forte jobs run NAME [--as-of YYYY-MM-DD]');
  if (sub === 'run' && !name) throw new UsageError(`usage: forte jobs run NAME [--as-of YYYY-MM-DD]; jobs: ${ALL_JOBS.map((j) => j.name).join(', ')}`);
  if (sub === 'run' && !ALL_JOBS.some((j) => j.name === name)) throw new UsageError(`Unknown job "${name}". Jobs: ${ALL_JOBS.map((j) => j.name).join(', ')}`);
  return withRuntime(args, true, async ({ deps, logger }) => {
    const scheduler = new Scheduler({ db: deps.db, sql: deps.sql, config: deps.config, clock: deps.clock, logger }, ALL_JOBS);
    if (sub === 'list') {
      const states = new Map((await deps.db.select().from(jobState)).map((s) => [s.jobName, s]));
      for (const job of scheduler.list()) {
        const s = states.get(job.name);
        console.log(`${job.name.padEnd(20)} ${job.schedule.padEnd(14)} catch-up:${job.catchUp.padEnd(9)} last:${s?.lastCompletedDate ?? 'never'} ${s?.lastStatus ?? ''}  ${job.description}`);
      }
      return 0;
    }
    const outcome = await scheduler.run(name!, { asOf, trigger: 'cli' });
    console.log(JSON.stringify(outcome));
    return outcome.status === 'failed' ? 1 : outcome.status === 'skipped' ? 3 : 0;
  });
}
