-- CreateTable
CREATE TABLE "BallotBox" (
    "id" TEXT NOT NULL,
    "electionId" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "ranking" TEXT[],
    "replaces" TEXT,

    CONSTRAINT "BallotBox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BallotBox_slot_key" ON "BallotBox"("slot");

-- CreateIndex
CREATE UNIQUE INDEX "BallotBox_replaces_key" ON "BallotBox"("replaces");
