-- AlterTable
ALTER TABLE "UpdateFeed" ADD COLUMN     "lastProblem" JSONB;
