import { stringOption, UsageError, type ParsedArgs } from './args';
import { withRuntime } from './context';
import { describeDemoSeed, seedDemo } from '../features/demo/seed';

/** `forte seed demo [--seed N]`: loads the demo store; a second run finds it and adds nothing. */
export async function seedCommand(args: ParsedArgs): Promise<number> {
  const [, what] = args.positionals;
  if (what !== 'demo') throw new UsageError('usage: forte seed demo [--seed N] [--data-dir DIR]');
  const raw = stringOption(args, 'seed') ?? '1';
  const seed = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number (got "${raw}")`);
  return withRuntime(args, true, async ({ deps }) => {
    const result = await seedDemo(deps.db, deps.clock, { seed });
    console.log(describeDemoSeed(result));
    return 0;
  });
}
