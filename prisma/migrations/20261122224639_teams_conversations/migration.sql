-- CreateTable
CREATE TABLE "TeamsConversation" (
    "ref" TEXT NOT NULL,
    "conversationId" TEXT,
    "conversationType" TEXT NOT NULL,
    "serviceUrl" TEXT NOT NULL,
    "tenantId" TEXT,
    "botId" TEXT NOT NULL,
    "botName" TEXT,
    "userId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TeamsConversation_pkey" PRIMARY KEY ("ref")
);
