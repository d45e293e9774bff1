-- CreateTable
CREATE TABLE "ElectionLog" (
    "id" TEXT NOT NULL,
    "electionId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "action" TEXT NOT NULL,
    "fromPhase" "ElectionPhase" NOT NULL,
    "toPhase" "ElectionPhase" NOT NULL,

    CONSTRAINT "ElectionLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ElectionLog_electionId_at_idx" ON "ElectionLog"("electionId", "at");

-- AddForeignKey
ALTER TABLE "ElectionLog" ADD CONSTRAINT "ElectionLog_electionId_fkey" FOREIGN KEY ("electionId") REFERENCES "Election"("id") ON DELETE CASCADE ON UPDATE CASCADE;
