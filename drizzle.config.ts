import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL from src/db/schema; Forte applies migrations itself (src/db/migrate.ts)
// from the embedded copies, so the binary never needs drizzle-kit at run time.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
});
