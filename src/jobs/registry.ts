import type { JobDefinition } from './types';
import { sessionCleanupJob } from './session-cleanup';

/** Every job Forte runs; later issues add billing, backups, reminders here. */
export const ALL_JOBS: JobDefinition[] = [sessionCleanupJob];
