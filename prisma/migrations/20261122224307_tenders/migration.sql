-- CreateTable
CREATE TABLE "TenderAlert" (
    "id" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "ocid" TEXT,
    "releaseId" TEXT,
    "releaseDate" TIMESTAMP(3),
    "title" TEXT NOT NULL,
    "buyer" TEXT,
    "description" TEXT,
    "currency" TEXT,
    "valueAmount" DOUBLE PRECISION,
    "minValueAmount" DOUBLE PRECISION,
    "lots" JSONB NOT NULL DEFAULT '[]',
    "deadline" TIMESTAMP(3),
    "enquiryDeadline" TIMESTAMP(3),
    "route" TEXT NOT NULL DEFAULT 'open',
    "themes" TEXT[],
    "areas" TEXT[],
    "cpv" TEXT[],
    "consortiaWelcome" BOOLEAN,
    "sme" BOOLEAN,
    "vcse" BOOLEAN,
    "link" TEXT,
    "renewalDate" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'open',
    "postedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TenderAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TenderInterest" (
    "id" TEXT NOT NULL,
    "alertId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "organisationId" TEXT,
    "consortium" BOOLEAN NOT NULL DEFAULT false,
    "consentAskedAt" TIMESTAMP(3),
    "consent" BOOLEAN,
    "introducedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TenderInterest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TenderSubscription" (
    "id" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "personId" TEXT,
    "channelRef" TEXT,
    "themes" TEXT[],
    "areas" TEXT[],
    "valueBands" TEXT[],
    "keywords" TEXT[],
    "includeUnvalued" BOOLEAN NOT NULL DEFAULT false,
    "mode" TEXT NOT NULL DEFAULT 'immediate',
    "muted" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TenderSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TenderFeed" (
    "id" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "themes" TEXT[],
    "areas" TEXT[],
    "lastPolledAt" TIMESTAMP(3),
    "lastReport" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TenderFeed_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TenderAlert_status_deadline_idx" ON "TenderAlert"("status", "deadline");

-- CreateIndex
CREATE UNIQUE INDEX "TenderAlert_forumId_number_key" ON "TenderAlert"("forumId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "TenderAlert_forumId_ocid_key" ON "TenderAlert"("forumId", "ocid");

-- CreateIndex
CREATE UNIQUE INDEX "TenderInterest_alertId_personId_key" ON "TenderInterest"("alertId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "TenderSubscription_forumId_personId_key" ON "TenderSubscription"("forumId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "TenderSubscription_forumId_channelRef_key" ON "TenderSubscription"("forumId", "channelRef");

-- CreateIndex
CREATE UNIQUE INDEX "TenderFeed_forumId_url_key" ON "TenderFeed"("forumId", "url");

-- AddForeignKey
ALTER TABLE "TenderAlert" ADD CONSTRAINT "TenderAlert_forumId_fkey" FOREIGN KEY ("forumId") REFERENCES "Forum"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TenderInterest" ADD CONSTRAINT "TenderInterest_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "TenderAlert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TenderInterest" ADD CONSTRAINT "TenderInterest_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TenderSubscription" ADD CONSTRAINT "TenderSubscription_forumId_fkey" FOREIGN KEY ("forumId") REFERENCES "Forum"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TenderSubscription" ADD CONSTRAINT "TenderSubscription_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TenderFeed" ADD CONSTRAINT "TenderFeed_forumId_fkey" FOREIGN KEY ("forumId") REFERENCES "Forum"("id") ON DELETE CASCADE ON UPDATE CASCADE;
