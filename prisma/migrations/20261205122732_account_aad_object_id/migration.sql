-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "aadObjectId" TEXT;

-- CreateIndex
CREATE INDEX "Account_aadObjectId_idx" ON "Account"("aadObjectId");
