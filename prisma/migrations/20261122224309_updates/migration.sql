-- CreateEnum
CREATE TYPE "UpdateSource" AS ENUM ('OFFICER', 'FEED', 'WEBHOOK');

-- CreateTable
CREATE TABLE "UpdateSettings" (
    "forumId" TEXT NOT NULL,
    "digestWeekday" INTEGER NOT NULL DEFAULT 1,
    "digestHour" INTEGER NOT NULL DEFAULT 9,
    "lastDigestAt" TIMESTAMP(3),
    "webhookSecretHash" TEXT,

    CONSTRAINT "UpdateSettings_pkey" PRIMARY KEY ("forumId")
);

-- CreateTable
CREATE TABLE "UpdateTheme" (
    "id" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UpdateTheme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Update" (
    "id" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT,
    "link" TEXT,
    "themes" TEXT[],
    "partnership" TEXT,
    "source" "UpdateSource" NOT NULL DEFAULT 'OFFICER',
    "sourceKey" TEXT,
    "feedId" TEXT,
    "authorId" TEXT,
    "quiet" BOOLEAN NOT NULL DEFAULT false,
    "postedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Update_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Consultation" (
    "id" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "runBy" TEXT NOT NULL,
    "opensOn" TIMESTAMP(3) NOT NULL,
    "closesOn" TIMESTAMP(3) NOT NULL,
    "link" TEXT,
    "lengthDays" INTEGER NOT NULL,
    "shortConsultation" BOOLEAN NOT NULL,
    "breachNoticeId" TEXT,
    "reminded14At" TIMESTAMP(3),
    "reminded3At" TIMESTAMP(3),
    "exportedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "outcomeLink" TEXT,
    "outcomeAt" TIMESTAMP(3),
    "outcomeById" TEXT,

    CONSTRAINT "Consultation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsultationView" (
    "id" TEXT NOT NULL,
    "consultationId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "organisation" TEXT,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConsultationView_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpdateFeed" (
    "id" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "label" TEXT,
    "themes" TEXT[],
    "failures" INTEGER NOT NULL DEFAULT 0,
    "nextPollAt" TIMESTAMP(3) NOT NULL,
    "lastPolledAt" TIMESTAMP(3),
    "lastOkAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UpdateFeed_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpdateSubscription" (
    "id" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "allThemes" BOOLEAN NOT NULL DEFAULT false,
    "themes" TEXT[],
    "mode" "ChannelMode" NOT NULL DEFAULT 'IMMEDIATE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UpdateSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UpdateTheme_forumId_key_key" ON "UpdateTheme"("forumId", "key");

-- CreateIndex
CREATE INDEX "Update_forumId_postedAt_idx" ON "Update"("forumId", "postedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Update_forumId_sourceKey_key" ON "Update"("forumId", "sourceKey");

-- CreateIndex
CREATE UNIQUE INDEX "Consultation_updateId_key" ON "Consultation"("updateId");

-- CreateIndex
CREATE INDEX "Consultation_forumId_closesOn_idx" ON "Consultation"("forumId", "closesOn");

-- CreateIndex
CREATE UNIQUE INDEX "ConsultationView_consultationId_personId_key" ON "ConsultationView"("consultationId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "UpdateFeed_forumId_url_key" ON "UpdateFeed"("forumId", "url");

-- CreateIndex
CREATE UNIQUE INDEX "UpdateSubscription_forumId_personId_key" ON "UpdateSubscription"("forumId", "personId");

-- AddForeignKey
ALTER TABLE "UpdateSettings" ADD CONSTRAINT "UpdateSettings_forumId_fkey" FOREIGN KEY ("forumId") REFERENCES "Forum"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateTheme" ADD CONSTRAINT "UpdateTheme_forumId_fkey" FOREIGN KEY ("forumId") REFERENCES "Forum"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Update" ADD CONSTRAINT "Update_forumId_fkey" FOREIGN KEY ("forumId") REFERENCES "Forum"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Update" ADD CONSTRAINT "Update_feedId_fkey" FOREIGN KEY ("feedId") REFERENCES "UpdateFeed"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consultation" ADD CONSTRAINT "Consultation_updateId_fkey" FOREIGN KEY ("updateId") REFERENCES "Update"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationView" ADD CONSTRAINT "ConsultationView_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationView" ADD CONSTRAINT "ConsultationView_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateFeed" ADD CONSTRAINT "UpdateFeed_forumId_fkey" FOREIGN KEY ("forumId") REFERENCES "Forum"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateSubscription" ADD CONSTRAINT "UpdateSubscription_forumId_fkey" FOREIGN KEY ("forumId") REFERENCES "Forum"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateSubscription" ADD CONSTRAINT "UpdateSubscription_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
