-- CreateIndex
CREATE INDEX "ReportbackRequest_personId_idx" ON "ReportbackRequest"("personId");
