-- CreateEnum
CREATE TYPE "BreachMode" AS ENUM ('NAMED', 'ON_BEHALF', 'ANONYMOUS');

-- CreateTable
CREATE TABLE "Compact" (
    "id" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "escalationBody" TEXT,
    "acknowledgeDays" INTEGER DEFAULT 5,
    "liaisonDays" INTEGER DEFAULT 20,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Compact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompactParty" (
    "id" TEXT NOT NULL,
    "compactId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    CONSTRAINT "CompactParty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompactCode" (
    "id" TEXT NOT NULL,
    "compactId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameCy" TEXT,

    CONSTRAINT "CompactCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompactCommitment" (
    "id" TEXT NOT NULL,
    "codeId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "textCy" TEXT,
    "standardDays" INTEGER,

    CONSTRAINT "CompactCommitment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BreachNotice" (
    "id" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "compactId" TEXT NOT NULL,
    "partyId" TEXT NOT NULL,
    "codeId" TEXT NOT NULL,
    "commitmentId" TEXT,
    "aspect" TEXT NOT NULL,
    "whatHappened" TEXT NOT NULL,
    "happenedOn" TEXT,
    "expected" TEXT,
    "actual" TEXT,
    "evidence" TEXT[],
    "outcomeWanted" TEXT NOT NULL,
    "mode" "BreachMode" NOT NULL,
    "organisationId" TEXT,
    "filerPersonId" TEXT,
    "filedById" TEXT,
    "receiptHash" TEXT,
    "filedOn" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'filed',
    "stateSince" TIMESTAMP(3) NOT NULL,
    "dueKind" TEXT,
    "dueOn" TEXT,
    "resolvedOn" TEXT,
    "filerSeen" INTEGER NOT NULL DEFAULT 0,
    "officersTold" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "BreachNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BreachStep" (
    "id" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "fromState" TEXT NOT NULL,
    "toState" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "byPersonId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BreachStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BreachMessage" (
    "id" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "fromOfficer" BOOLEAN NOT NULL,
    "byPersonId" TEXT,
    "body" TEXT NOT NULL,
    "on" TEXT NOT NULL,
    "officersTold" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "BreachMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Compact_forumId_name_key" ON "Compact"("forumId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CompactParty_compactId_name_key" ON "CompactParty"("compactId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CompactCode_compactId_key_key" ON "CompactCode"("compactId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "BreachNotice_receiptHash_key" ON "BreachNotice"("receiptHash");

-- CreateIndex
CREATE INDEX "BreachNotice_forumId_state_idx" ON "BreachNotice"("forumId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "BreachNotice_forumId_number_key" ON "BreachNotice"("forumId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "BreachMessage_noticeId_seq_key" ON "BreachMessage"("noticeId", "seq");

-- AddForeignKey
ALTER TABLE "Compact" ADD CONSTRAINT "Compact_forumId_fkey" FOREIGN KEY ("forumId") REFERENCES "Forum"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompactParty" ADD CONSTRAINT "CompactParty_compactId_fkey" FOREIGN KEY ("compactId") REFERENCES "Compact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompactCode" ADD CONSTRAINT "CompactCode_compactId_fkey" FOREIGN KEY ("compactId") REFERENCES "Compact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompactCommitment" ADD CONSTRAINT "CompactCommitment_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "CompactCode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreachNotice" ADD CONSTRAINT "BreachNotice_compactId_fkey" FOREIGN KEY ("compactId") REFERENCES "Compact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreachNotice" ADD CONSTRAINT "BreachNotice_partyId_fkey" FOREIGN KEY ("partyId") REFERENCES "CompactParty"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreachNotice" ADD CONSTRAINT "BreachNotice_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "CompactCode"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreachNotice" ADD CONSTRAINT "BreachNotice_commitmentId_fkey" FOREIGN KEY ("commitmentId") REFERENCES "CompactCommitment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreachStep" ADD CONSTRAINT "BreachStep_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "BreachNotice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreachMessage" ADD CONSTRAINT "BreachMessage_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "BreachNotice"("id") ON DELETE CASCADE ON UPDATE CASCADE;
