-- CreateEnum
CREATE TYPE "MeetingRepeat" AS ENUM ('MONTHLY', 'QUARTERLY');

-- CreateEnum
CREATE TYPE "IssueStatus" AS ENUM ('OPEN', 'ANSWERED');

-- CreateTable
CREATE TABLE "ReportbackSettings" (
    "forumId" TEXT NOT NULL,
    "dueDays" INTEGER NOT NULL DEFAULT 10,

    CONSTRAINT "ReportbackSettings_pkey" PRIMARY KEY ("forumId")
);

-- CreateTable
CREATE TABLE "MeetingSeries" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "repeat" "MeetingRepeat" NOT NULL,
    "nth" INTEGER NOT NULL,
    "weekday" INTEGER NOT NULL,
    "startTime" TEXT NOT NULL,
    "endTime" TEXT NOT NULL,
    "fromDate" TIMESTAMP(3) NOT NULL,
    "untilDate" TIMESTAMP(3),
    "place" TEXT,
    "papersUrl" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingSeries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "seriesId" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "place" TEXT,
    "papersUrl" TEXT,
    "cancelled" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportbackRequest" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "reportbackId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportbackRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reportback" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "joint" BOOLEAN NOT NULL DEFAULT false,
    "summary" TEXT NOT NULL,
    "decisions" TEXT[],
    "issuesForSector" TEXT[],
    "interests" TEXT,
    "papersUrl" TEXT,
    "publishedAt" TIMESTAMP(3) NOT NULL,
    "editableUntil" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reportback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportbackEdit" (
    "id" TEXT NOT NULL,
    "reportbackId" TEXT NOT NULL,
    "editorId" TEXT NOT NULL,
    "editedAt" TIMESTAMP(3) NOT NULL,
    "previous" JSONB NOT NULL,

    CONSTRAINT "ReportbackEdit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportbackAction" (
    "id" TEXT NOT NULL,
    "reportbackId" TEXT NOT NULL,
    "what" TEXT NOT NULL,
    "ownerName" TEXT NOT NULL,
    "ownerId" TEXT,
    "dueOn" TIMESTAMP(3) NOT NULL,
    "doneAt" TIMESTAMP(3),
    "position" INTEGER NOT NULL,

    CONSTRAINT "ReportbackAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ForumIssue" (
    "id" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "raisedById" TEXT NOT NULL,
    "organisationId" TEXT,
    "text" TEXT NOT NULL,
    "status" "IssueStatus" NOT NULL DEFAULT 'OPEN',
    "response" TEXT,
    "reportbackId" TEXT,
    "answeredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForumIssue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IssueBacking" (
    "issueId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IssueBacking_pkey" PRIMARY KEY ("issueId","personId")
);

-- CreateIndex
CREATE INDEX "Meeting_partnershipId_startsAt_idx" ON "Meeting"("partnershipId", "startsAt");

-- CreateIndex
CREATE INDEX "Meeting_endsAt_idx" ON "Meeting"("endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_seriesId_startsAt_key" ON "Meeting"("seriesId", "startsAt");

-- CreateIndex
CREATE INDEX "ReportbackRequest_dueAt_idx" ON "ReportbackRequest"("dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReportbackRequest_meetingId_personId_key" ON "ReportbackRequest"("meetingId", "personId");

-- CreateIndex
CREATE INDEX "Reportback_meetingId_idx" ON "Reportback"("meetingId");

-- CreateIndex
CREATE INDEX "ReportbackEdit_reportbackId_editedAt_idx" ON "ReportbackEdit"("reportbackId", "editedAt");

-- CreateIndex
CREATE INDEX "ReportbackAction_ownerId_idx" ON "ReportbackAction"("ownerId");

-- CreateIndex
CREATE INDEX "ForumIssue_partnershipId_status_idx" ON "ForumIssue"("partnershipId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ForumIssue_forumId_number_key" ON "ForumIssue"("forumId", "number");

-- CreateIndex
CREATE INDEX "IssueBacking_personId_idx" ON "IssueBacking"("personId");

-- AddForeignKey
ALTER TABLE "MeetingSeries" ADD CONSTRAINT "MeetingSeries_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "MeetingSeries"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportbackRequest" ADD CONSTRAINT "ReportbackRequest_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportbackRequest" ADD CONSTRAINT "ReportbackRequest_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportbackRequest" ADD CONSTRAINT "ReportbackRequest_reportbackId_fkey" FOREIGN KEY ("reportbackId") REFERENCES "Reportback"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reportback" ADD CONSTRAINT "Reportback_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reportback" ADD CONSTRAINT "Reportback_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportbackEdit" ADD CONSTRAINT "ReportbackEdit_reportbackId_fkey" FOREIGN KEY ("reportbackId") REFERENCES "Reportback"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportbackAction" ADD CONSTRAINT "ReportbackAction_reportbackId_fkey" FOREIGN KEY ("reportbackId") REFERENCES "Reportback"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportbackAction" ADD CONSTRAINT "ReportbackAction_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForumIssue" ADD CONSTRAINT "ForumIssue_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForumIssue" ADD CONSTRAINT "ForumIssue_raisedById_fkey" FOREIGN KEY ("raisedById") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForumIssue" ADD CONSTRAINT "ForumIssue_reportbackId_fkey" FOREIGN KEY ("reportbackId") REFERENCES "Reportback"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssueBacking" ADD CONSTRAINT "IssueBacking_issueId_fkey" FOREIGN KEY ("issueId") REFERENCES "ForumIssue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssueBacking" ADD CONSTRAINT "IssueBacking_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
