-- CreateEnum
CREATE TYPE "ElectionPhase" AS ENUM ('DRAFT', 'NOMINATIONS', 'NOMINATIONS_CLOSED', 'VOTING', 'COUNTING', 'DECLARED', 'CANCELLED');

-- CreateTable
CREATE TABLE "Election" (
    "id" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "seatIds" TEXT[],
    "method" TEXT NOT NULL,
    "franchise" "Franchise" NOT NULL,
    "seconderRequired" BOOLEAN NOT NULL DEFAULT false,
    "ronCandidate" BOOLEAN NOT NULL DEFAULT true,
    "phase" "ElectionPhase" NOT NULL DEFAULT 'DRAFT',
    "nominationsOpenAt" TIMESTAMP(3) NOT NULL,
    "nominationsCloseAt" TIMESTAMP(3) NOT NULL,
    "votingOpenAt" TIMESTAMP(3) NOT NULL,
    "votingCloseAt" TIMESTAMP(3) NOT NULL,
    "cancelReason" TEXT,
    "tieSeed" TEXT NOT NULL,
    "electorate" INTEGER,
    "result" JSONB,
    "declaredAt" TIMESTAMP(3),
    "reopenedFromId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Election_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Candidate" (
    "id" TEXT NOT NULL,
    "electionId" TEXT NOT NULL,
    "personId" TEXT,
    "organisationId" TEXT,
    "name" TEXT NOT NULL,
    "statement" TEXT,
    "isRon" BOOLEAN NOT NULL DEFAULT false,
    "nominatedById" TEXT,
    "seconderId" TEXT,
    "accepted" BOOLEAN NOT NULL DEFAULT false,
    "withdrawn" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Candidate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoteDelegation" (
    "electionId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "delegateId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VoteDelegation_pkey" PRIMARY KEY ("electionId","organisationId")
);

-- CreateTable
CREATE TABLE "ElectionRoll" (
    "electionId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,

    CONSTRAINT "ElectionRoll_pkey" PRIMARY KEY ("electionId","voterKey")
);

-- CreateTable
CREATE TABLE "ElectionBallot" (
    "id" TEXT NOT NULL,
    "electionId" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "ranking" TEXT[],

    CONSTRAINT "ElectionBallot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Election_forumId_phase_idx" ON "Election"("forumId", "phase");

-- CreateIndex
CREATE INDEX "Election_phase_idx" ON "Election"("phase");

-- CreateIndex
CREATE INDEX "Candidate_electionId_idx" ON "Candidate"("electionId");

-- CreateIndex
CREATE UNIQUE INDEX "Candidate_electionId_personId_key" ON "Candidate"("electionId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "ElectionBallot_slot_key" ON "ElectionBallot"("slot");

-- CreateIndex
CREATE INDEX "ElectionBallot_electionId_idx" ON "ElectionBallot"("electionId");

-- AddForeignKey
ALTER TABLE "Election" ADD CONSTRAINT "Election_forumId_fkey" FOREIGN KEY ("forumId") REFERENCES "Forum"("id") ON DELETE CASCADE ON UPDATE CASCADE;
