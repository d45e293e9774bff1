-- AlterTable
ALTER TABLE "TenderAlert" ADD COLUMN     "renewalNote" TEXT;

-- AlterTable
ALTER TABLE "TenderFeed" ADD COLUMN     "cursor" TEXT,
ADD COLUMN     "resumeUrl" TEXT;

-- AlterTable
ALTER TABLE "TenderSubscription" ADD COLUMN     "earlyNotice" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "TenderAward" (
    "id" TEXT NOT NULL,
    "alertId" TEXT NOT NULL,
    "awardId" TEXT NOT NULL,
    "status" TEXT,
    "date" TIMESTAMP(3),
    "valueAmount" DOUBLE PRECISION,
    "currency" TEXT,
    "suppliers" TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TenderAward_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TenderAward_alertId_awardId_key" ON "TenderAward"("alertId", "awardId");

-- AddForeignKey
ALTER TABLE "TenderAward" ADD CONSTRAINT "TenderAward_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "TenderAlert"("id") ON DELETE CASCADE ON UPDATE CASCADE;
