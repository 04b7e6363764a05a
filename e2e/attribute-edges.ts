/**
 * CMQ's queue attribute limits, written out independently of lib/schemas/queue.ts so the tests
 * catch a wrong limit there: [attribute, accepted edge value, rejected value one past it].
 */
export const attributeEdges: [string, number, number][] = [
  ["visibilityTimeout", 1, 0],
  ["visibilityTimeout", 43200, 43201],
  ["pollingWaitSeconds", 0, -1],
  ["pollingWaitSeconds", 30, 31],
  ["maxMsgSize", 1024, 1023],
  ["maxMsgSize", 1048576, 1048577],
  ["msgRetentionSeconds", 60, 59],
  ["msgRetentionSeconds", 1296000, 1296001],
  ["maxMsgHeapNum", 1000000, 999999],
  ["maxMsgHeapNum", 1000000000, 1000000001],
];
