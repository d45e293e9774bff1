-- AlterTable
ALTER TABLE "Partnership" ADD COLUMN     "membersOnly" BOOLEAN NOT NULL DEFAULT false;
