-- AlterTable
ALTER TABLE "Consultation" ADD COLUMN     "respondedAt" TIMESTAMP(3),
ADD COLUMN     "responseLink" TEXT,
ADD COLUMN     "responseSummary" TEXT;
