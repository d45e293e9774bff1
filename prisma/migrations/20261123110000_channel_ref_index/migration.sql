-- CreateIndex
CREATE INDEX "Channel_ref_idx" ON "Channel"("ref");
