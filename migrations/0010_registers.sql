CREATE TABLE "drawer_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"source_type" text,
	"source_id" text,
	"journal_entry_id" uuid,
	"by_user_id" uuid,
	"by_label" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drawer_movements_kind_check" CHECK ("drawer_movements"."kind" in ('paid_in', 'paid_out', 'drop', 'no_sale', 'sale_cash', 'change_given', 'refund_cash', 'check_in', 'check_refund', 'check_drop', 'reopen')),
	CONSTRAINT "drawer_movements_amount_check" CHECK ("drawer_movements"."amount_cents" >= 0),
	CONSTRAINT "drawer_movements_reason_check" CHECK (length("drawer_movements"."reason") <= 500)
);
--> statement-breakpoint
CREATE TABLE "drawer_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"register_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"opened_by_user_id" uuid,
	"opened_by_label" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"float_cents" bigint NOT NULL,
	"float_denominations" jsonb,
	"open_entry_id" uuid,
	"blind" boolean DEFAULT false NOT NULL,
	"closed_by_user_id" uuid,
	"closed_by_label" text,
	"closed_at" timestamp with time zone,
	"counted_cash_cents" bigint,
	"counted_denominations" jsonb,
	"counted_checks_cents" bigint,
	"expected_cash_cents" bigint,
	"expected_checks_cents" bigint,
	"over_short_cents" bigint,
	"close_entry_id" uuid,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drawer_sessions_status_check" CHECK ("drawer_sessions"."status" in ('open', 'closed')),
	CONSTRAINT "drawer_sessions_float_check" CHECK ("drawer_sessions"."float_cents" >= 0),
	CONSTRAINT "drawer_sessions_counts_check" CHECK ("drawer_sessions"."counted_cash_cents" is null or ("drawer_sessions"."counted_cash_cents" >= 0 and "drawer_sessions"."counted_checks_cents" >= 0)),
	CONSTRAINT "drawer_sessions_closed_check" CHECK (("drawer_sessions"."status" = 'closed') = ("drawer_sessions"."closed_at" is not null and "drawer_sessions"."counted_cash_cents" is not null and "drawer_sessions"."expected_cash_cents" is not null)),
	CONSTRAINT "drawer_sessions_note_check" CHECK (length("drawer_sessions"."note") <= 2000)
);
--> statement-breakpoint
ALTER TABLE "registers" DROP CONSTRAINT "registers_name_unique";--> statement-breakpoint
ALTER TABLE "registers" ALTER COLUMN "id" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "registers" ALTER COLUMN "id" SET DATA TYPE uuid USING "id"::uuid;--> statement-breakpoint
ALTER TABLE "registers" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();--> statement-breakpoint
ALTER TABLE "registers" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "drawer_movements" ADD CONSTRAINT "drawer_movements_session_id_drawer_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."drawer_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drawer_movements" ADD CONSTRAINT "drawer_movements_journal_entry_id_journal_entries_id_fk" FOREIGN KEY ("journal_entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drawer_movements" ADD CONSTRAINT "drawer_movements_by_user_id_staff_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drawer_sessions" ADD CONSTRAINT "drawer_sessions_register_id_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "public"."registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drawer_sessions" ADD CONSTRAINT "drawer_sessions_opened_by_user_id_staff_users_id_fk" FOREIGN KEY ("opened_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drawer_sessions" ADD CONSTRAINT "drawer_sessions_open_entry_id_journal_entries_id_fk" FOREIGN KEY ("open_entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drawer_sessions" ADD CONSTRAINT "drawer_sessions_closed_by_user_id_staff_users_id_fk" FOREIGN KEY ("closed_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drawer_sessions" ADD CONSTRAINT "drawer_sessions_close_entry_id_journal_entries_id_fk" FOREIGN KEY ("close_entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "drawer_movements_session_idx" ON "drawer_movements" USING btree ("session_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "drawer_sessions_number_key" ON "drawer_sessions" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "drawer_sessions_one_open_per_register" ON "drawer_sessions" USING btree ("register_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "drawer_sessions_register_opened_idx" ON "drawer_sessions" USING btree ("register_id","opened_at");--> statement-breakpoint
CREATE INDEX "drawer_sessions_opened_idx" ON "drawer_sessions" USING btree ("opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "registers_name_lower_key" ON "registers" USING btree (lower("name"));--> statement-breakpoint
ALTER TABLE "registers" ADD CONSTRAINT "registers_name_check" CHECK (length("registers"."name") between 1 and 60);