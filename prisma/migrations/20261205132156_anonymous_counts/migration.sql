-- CreateTable
CREATE TABLE "AnonymousDayKey" (
    "day" TEXT NOT NULL,
    "key" BYTEA NOT NULL,

    CONSTRAINT "AnonymousDayKey_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "AnonymousCount" (
    "day" TEXT NOT NULL,
    "bucket" TEXT NOT NULL,
    "filings" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnonymousCount_pkey" PRIMARY KEY ("day","bucket")
);
