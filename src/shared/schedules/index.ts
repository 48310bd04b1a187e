/** Recurring sweeps on BullMQ job schedulers: validation, add (upsert), list, remove. */
export { addSchedule, listSchedules, removeSchedule, scheduleId, SCHEDULE_QUEUE } from './schedules.ts';
export type { ScheduleSpec, ScheduleInfo, ScheduledSweepData } from './schedules.ts';
export { checkCron, checkTimeZone, dayIn } from './validate.ts';
