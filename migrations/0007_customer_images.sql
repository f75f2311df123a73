CREATE TABLE "customer_images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"member_id" uuid,
	"identity_document_id" uuid,
	"side" text,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"created_by_user_id" uuid,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_images_kind_check" CHECK ("customer_images"."kind" in ('member_photo', 'identity_document_scan')),
	CONSTRAINT "customer_images_owner_check" CHECK (("customer_images"."kind" = 'member_photo' and "customer_images"."member_id" is not null and "customer_images"."identity_document_id" is null and "customer_images"."side" is null)
        or ("customer_images"."kind" = 'identity_document_scan' and "customer_images"."identity_document_id" is not null and "customer_images"."member_id" is null and "customer_images"."side" in ('front', 'back'))),
	CONSTRAINT "customer_images_content_type_check" CHECK ("customer_images"."content_type" in ('image/jpeg', 'image/png', 'image/webp')),
	CONSTRAINT "customer_images_size_check" CHECK ("customer_images"."byte_size" > 0 and "customer_images"."byte_size" <= 5242880 and "customer_images"."byte_size" = octet_length("customer_images"."data")),
	CONSTRAINT "customer_images_sha256_check" CHECK ("customer_images"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "customer_images" ADD CONSTRAINT "customer_images_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_images" ADD CONSTRAINT "customer_images_identity_document_id_identity_documents_id_fk" FOREIGN KEY ("identity_document_id") REFERENCES "public"."identity_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_images_member_photo_idx" ON "customer_images" USING btree ("member_id") WHERE "customer_images"."kind" = 'member_photo';--> statement-breakpoint
CREATE UNIQUE INDEX "customer_images_document_side_idx" ON "customer_images" USING btree ("identity_document_id","side") WHERE "customer_images"."kind" = 'identity_document_scan';--> statement-breakpoint
CREATE INDEX "customer_images_document_idx" ON "customer_images" USING btree ("identity_document_id");