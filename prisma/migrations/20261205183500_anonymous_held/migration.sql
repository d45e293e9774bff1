-- CreateTable
CREATE TABLE "AnonymousHeld" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "forumId" TEXT NOT NULL,
    "noticeId" TEXT,
    "receiptHash" TEXT,
    "data" JSONB NOT NULL,

    CONSTRAINT "AnonymousHeld_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AnonymousHeld_receiptHash_key" ON "AnonymousHeld"("receiptHash");
