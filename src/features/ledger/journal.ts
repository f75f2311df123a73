import { eq, sql } from 'drizzle-orm';
import { journalEntries, journalLines } from '../../db/schema';
import type { Tx } from '../../db/client';
import { randomUUID } from 'node:crypto';
import { recordAudit, type Actor } from '../audit/service';
import { journalEntryProblems, mergeLines, reversalLines, type JournalLineDraft } from '../../domain/journal';
import { isValidBusinessDate } from '../../domain/business-date';
import { isUniqueViolation, isUuid } from '../../db/sql-helpers';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { accountIdsByKey, STORE_BUSINESS_DATE } from './chart';
import { linesForEvent, type EventType, type PayloadOf } from './posting-rules';

export interface EntryInput {
  eventType: string;
  /** Business date (YYYY-MM-DD); default: today in the store's time zone. */
  date?: string | null;
  sourceType: string;
  sourceId?: string | null;
  memo?: string;
  lines: JournalLineDraft[];
  /** Set only by reverseEntry. */
  reversesEntryId?: string | null;
}

export type JournalEntry = typeof journalEntries.$inferSelect;

/**
 * Posts one balanced journal entry on the caller's transaction: validates the lines (the database re-checks
 * the balance at COMMIT), resolves system keys to accounts and inserts the entry and its lines; the database
 * numbers it (gap-free JE-000001 …) when the transaction commits. The caller's business rows, audit row and
 * this entry commit together or not at all. An invalid entry is a program error (a posting rule gone wrong),
 * so it throws RangeError, not a 4xx.
 */
export async function postEntry(tx: Tx, actor: Actor, input: EntryInput): Promise<JournalEntry> {
  const problems = journalEntryProblems(input.lines);
  if (problems.length) throw new RangeError(`Journal entry for ${input.eventType} refused: ${problems.join(' ')}`);
  if (input.date != null && !isValidBusinessDate(input.date)) throw new RangeError(`Journal entry date must be YYYY-MM-DD, got ${input.date}`);
  const ids = await accountIdsByKey(tx, input.lines.map((l) => l.accountKey));
  return insertEntry(tx, actor, input, input.lines.map((l) => ({ ...l, accountId: ids.get(l.accountKey)! })));
}

type ResolvedLine = Omit<JournalLineDraft, 'accountKey'> & { accountId: string };

/**
 * Inserts an entry and its lines (already checked). The entry's gap-free JE- number is given by the database at
 * COMMIT (migration 0009: the series row is locked only while committing, so posting transactions don't queue
 * behind each other and can't deadlock on it); until then the returned row carries a `pending:` placeholder.
 */
async function insertEntry(tx: Tx, actor: Actor, input: Omit<EntryInput, 'lines'>, lines: ResolvedLine[]): Promise<JournalEntry> {
  const number = `pending:${randomUUID()}`;
  const [entry] = await tx
    .insert(journalEntries)
    .values({
      number,
      entryDate: input.date ?? STORE_BUSINESS_DATE,
      eventType: input.eventType,
      sourceType: input.sourceType,
      sourceId: input.sourceId ?? null,
      memo: (input.memo ?? '').slice(0, 500),
      reversesEntryId: input.reversesEntryId ?? null,
      createdByUserId: actor.userId,
      createdByLabel: actor.label,
    })
    .returning();
  await tx.insert(journalLines).values(
    lines.map((l, i) => ({
      entryId: entry.id,
      lineNo: i + 1,
      accountId: l.accountId,
      debitCents: l.debitCents ?? 0,
      creditCents: l.creditCents ?? 0,
      memo: (l.memo ?? '').slice(0, 500),
      partyType: l.party?.type ?? null,
      partyId: l.party?.id ?? null,
    })),
  );
  return entry;
}

/**
 * Posts the entry a posting rule gives for an event (lines of the same account, side and memo merged).
 * Returns null when the rule gives no lines — nothing of value moved.
 */
export async function postEvent<E extends EventType>(tx: Tx, actor: Actor, eventType: E, payload: PayloadOf<E>, where: Omit<EntryInput, 'eventType' | 'lines'>): Promise<JournalEntry | null> {
  const lines = mergeLines(linesForEvent(eventType, payload));
  if (lines.length === 0) return null;
  return postEntry(tx, actor, { ...where, eventType, lines });
}

/**
 * Corrects a posted entry the only way the journal allows: a new entry with the same lines on swapped sides,
 * linked by reverses_entry_id (unique, so an entry is reversed at most once). A reversal itself can't be
 * reversed; post the original event again instead. Audited as `journal.reverse`.
 */
export async function reverseEntry(tx: Tx, actor: Actor, entryId: string, memo: string, date?: string | null): Promise<JournalEntry> {
  if (!isUuid(entryId)) throw new NotFoundError('Journal entry');
  const why = memo.trim();
  if (why.length < 3) throw new ValidationError({ memo: 'Say why the entry is reversed (at least 3 characters).' });
  if (why.length > 500) throw new ValidationError({ memo: 'The reason must be at most 500 characters.' });
  // FOR UPDATE serializes two reversals of the same entry (it locks; it does not update, so the trigger stays quiet).
  const [original] = await tx.select().from(journalEntries).where(eq(journalEntries.id, entryId)).for('update');
  if (!original) throw new NotFoundError('Journal entry');
  if (original.reversesEntryId) throw new ConflictError(`${original.number} is itself a reversal; post the original event again instead of reversing it.`);
  const [already] = await tx.select({ number: journalEntries.number }).from(journalEntries).where(eq(journalEntries.reversesEntryId, entryId));
  if (already) throw new ConflictError(`${original.number} was already reversed by ${already.number}.`);
  const lines = await tx.execute<{ system_key: string | null; account_id: string; debit_cents: string; credit_cents: string; memo: string; party_type: 'customer' | 'supplier' | null; party_id: string | null }>(sql`
    select a.system_key, l.account_id, l.debit_cents, l.credit_cents, l.memo, l.party_type, l.party_id
    from journal_lines l join ledger_accounts a on a.id = l.account_id
    where l.entry_id = ${entryId} order by l.line_no`);
  if (date != null && !isValidBusinessDate(date)) throw new ValidationError({ date: 'Enter a date as YYYY-MM-DD.' });
  // Lines keep their account ids, so entries on accounts without a system key reverse too.
  const swapped = reversalLines(lines.map((l) => ({ accountId: l.account_id, debitCents: Number(l.debit_cents), creditCents: Number(l.credit_cents), memo: l.memo, party: l.party_type && l.party_id ? { type: l.party_type, id: l.party_id } : null })));
  const header = { eventType: original.eventType, date, sourceType: original.sourceType, sourceId: original.sourceId, memo: `Reversal of ${original.number}: ${why}`, reversesEntryId: original.id };
  const reversed = await insertEntry(tx, actor, header, swapped).catch((err) => {
    if (isUniqueViolation(err, 'journal_entries_reverses_key')) throw new ConflictError(`${original.number} was already reversed.`);
    throw err;
  });
  // The reversal's own number is given at commit; the audit row names it by id.
  await recordAudit(tx, actor, { action: 'journal.reverse', entityType: 'journal_entry', entityId: original.id, summary: `Reversed ${original.number}: ${why}`, after: { reversal_id: reversed.id } });
  return reversed;
}

