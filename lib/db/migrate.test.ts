import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { uniqueName } from "@/lib/testing/fixtures";

// The hand-written migrations must give the Prisma client exactly the schema it expects: write a
// row of every model through the client, with a value in every column, and read each back.
// `rows` is typed by the client's model list, so a new model cannot be left out silently.

type Row = { row: object; where: object };

describe("migrated schema matches the Prisma client", () => {
  it("writes and reads back a row of every model, and deleting the account cascades", async () => {
    const prisma = getPrisma();
    const at = new Date("2026-01-02T03:04:05.678Z");
    const account = await prisma.account.create({ data: { name: uniqueName("acct"), createdAt: at } });
    const user = await prisma.user.create({
      data: {
        accountId: account.id,
        email: `${uniqueName("u")}@x.test`,
        name: "U",
        passwordHash: "h",
        role: "admin",
        isDisabled: true,
        failedLogins: 2,
        lockedUntil: at,
        lastLoginAt: at,
        sessionGeneration: 3,
      },
    });
    const apiKey = await prisma.apiKey.create({
      data: {
        accountId: account.id,
        userId: user.id,
        secretId: `AKID${uniqueName("k")}`,
        secretKeyEncrypted: "s",
        description: "d",
        isDisabled: true,
        disabledByRole: "owner",
        permissions: ["queue:*"],
        lastUsedAt: at,
      },
    });
    const queue = await prisma.queue.create({
      data: {
        accountId: account.id,
        name: uniqueName("q"),
        visibilityTimeout: 30,
        pollingWaitSeconds: 1,
        maxMsgSize: 65536,
        msgRetentionSeconds: 345600,
        maxMsgHeapNum: 100_000_000n,
        rewindSeconds: 2,
      },
    });
    const deadLetterSource = await prisma.queue.create({
      data: {
        accountId: account.id,
        name: uniqueName("src"),
        visibilityTimeout: 30,
        pollingWaitSeconds: 0,
        maxMsgSize: 65536,
        msgRetentionSeconds: 345600,
        maxMsgHeapNum: 100_000_000n,
        rewindSeconds: 0,
        deadLetterQueueId: queue.id,
        deadLetterPolicy: 0,
        maxReceiveCount: 3,
      },
    });
    const message = await prisma.message.create({
      data: {
        queueId: queue.id,
        body: "hello",
        tags: ["a"],
        visibleAt: at,
        firstDequeuedAt: at,
        dequeueCount: 1,
        receipt: "00000000-0000-4000-8000-000000000001",
        firstEnqueuedAt: at,
        deadFromQueueId: deadLetterSource.id,
        deadReason: "maxReceiveCount",
        deadAt: at,
        deadDequeueCount: 4,
        redriveCount: 1,
      },
    });
    const messageHistory = await prisma.messageHistory.create({
      data: {
        id: 1_000_000_000_000n + message.id,
        queueId: queue.id,
        body: "gone",
        tags: ["t"],
        enqueuedAt: at,
        firstDequeuedAt: at,
        dequeueCount: 2,
        deletedAt: at,
        firstEnqueuedAt: at,
        deadFromQueueId: deadLetterSource.id,
        deadReason: "maxTimeToLive",
        deadAt: at,
        deadDequeueCount: 0,
        redriveCount: 2,
      },
    });
    const queueOperation = await prisma.queueOperation.create({
      data: {
        id: "00000000-0000-4000-8000-0000000000aa",
        accountId: account.id,
        queueId: queue.id,
        kind: "redrive",
        filter: { search: "x" },
        targetQueueId: deadLetterSource.id,
        status: "running",
        total: 10n,
        processed: 4n,
        skipped: 1n,
        ratePerSecond: 100,
        maxMessageId: message.id,
        cursor: message.id,
        error: null,
        actorLabel: user.email,
        startedAt: at,
      },
    });
    const queueStats = await prisma.queueStats.create({
      data: {
        queueId: queue.id,
        total: 1n,
        visible: 1n,
        inFlight: 0n,
        delayed: 0n,
        dead: 1n,
        rewindable: 1n,
        oldestEnqueued: at,
        computedAt: at,
      },
    });
    const workerState = await prisma.workerState.upsert({
      where: { name: "migrate-test" },
      create: { name: "migrate-test", cursor: 42n, walkStartedAt: at },
      update: { cursor: 42n, walkStartedAt: at },
    });
    const policyStatement = await prisma.policyStatement.create({
      data: {
        accountId: account.id,
        userId: user.id,
        effect: "deny",
        actions: ["queue:SendMessage"],
        resources: ["orders-*"],
        position: 1,
      },
    });
    const auditEvent = await prisma.auditEvent.create({
      data: {
        accountId: account.id,
        actorType: "user",
        actorId: user.id,
        actorLabel: user.email,
        via: "session",
        action: "queue:CreateQueue",
        resourceType: "queue",
        resourceName: queue.name,
        outcome: "success",
        ip: "192.0.2.1",
        userAgent: "test",
        details: { attributes: { visibilityTimeout: 30 } },
      },
    });

    const topic = await prisma.topic.create({
      data: {
        accountId: account.id,
        name: "Migrate-Topic",
        topicKey: "topic-migratetest",
        filterType: 2,
        maxMsgSize: 65_536,
      },
    });
    const subscription = await prisma.subscription.create({
      data: {
        accountId: account.id,
        topicId: topic.id,
        name: "to-http",
        subscriptionKey: "subscription-migratetest",
        protocol: "http",
        endpoint: "http://example.com/hook",
        queueId: queue.id,
        notifyStrategy: "EXPONENTIAL_DECAY_RETRY",
        notifyContentFormat: "JSON",
        filterTags: [],
        bindingKeys: ["a.*", "b.#"],
        pushSecretEncrypted: "v1.x.y.z",
      },
    });
    const topicMessage = await prisma.topicMessage.create({
      data: {
        topicId: topic.id,
        body: "published",
        tags: ["t"],
        routingKey: "a.b",
        publishedAt: at,
        queueDeliveries: [{ subscriptionId: "1", messageId: "2" }],
      },
    });
    const pushDelivery = await prisma.pushDelivery.create({
      data: {
        topicMessageId: topicMessage.id,
        subscriptionId: subscription.id,
        status: "pending",
        attempts: 1,
        nextAttemptAt: at,
        createdAt: at,
      },
    });
    const pushAttempt = await prisma.pushAttempt.create({
      data: {
        deliveryId: pushDelivery.id,
        attempt: 1,
        startedAt: at,
        latencyMs: 12,
        httpStatus: 503,
        error: "HTTP 503",
        nextAttemptAt: at,
      },
    });

    const alarmRule = await prisma.alarmRule.create({
      data: {
        accountId: account.id,
        name: uniqueName("alarm"),
        kind: "backlogVisible",
        scopeType: "queue",
        scopeName: queue.name,
        scopeSubscription: "sub",
        threshold: 10.5,
        forSeconds: 300,
        windowSeconds: 600,
        webhookUrl: "https://example.com/hook",
        secretEncrypted: "sealed",
        enabled: false,
        state: "firing",
        stateSince: at,
        lastValue: 12,
        lastSubject: queue.name,
        evaluatedAt: at,
        createdAt: at,
        updatedAt: at,
      },
    });
    const alarmEvent = await prisma.alarmEvent.create({
      data: {
        accountId: account.id,
        ruleId: alarmRule.id,
        ruleName: alarmRule.name,
        at,
        fromState: "pending",
        toState: "firing",
        value: 12,
        threshold: 10.5,
        subject: queue.name,
        message: "backlog 12 > 10.5",
        notifyStatus: "pending",
        notifyAttempts: 1,
        notifyNextAt: at,
        ruleCopy: { id: "1", name: "n", kind: "backlogVisible", scope: { type: "account" } },
        webhookUrl: "https://example.com/hook",
        secretEncrypted: "sealed",
      },
    });
    const alarmAttempt = await prisma.alarmAttempt.create({
      data: {
        eventId: alarmEvent.id,
        attempt: 1,
        at,
        url: "https://example.com/hook",
        httpStatus: 502,
        error: "HTTP 502",
        latencyMs: 7,
      },
    });

    const rows: Record<Prisma.ModelName, Row> = {
      Account: { row: account, where: { id: account.id } },
      User: { row: user, where: { id: user.id } },
      ApiKey: { row: apiKey, where: { id: apiKey.id } },
      Queue: { row: queue, where: { id: queue.id } },
      QueueStats: { row: queueStats, where: { queueId: queue.id } },
      WorkerState: { row: workerState, where: { name: "migrate-test" } },
      Message: { row: message, where: { id: message.id } },
      MessageHistory: { row: messageHistory, where: { id: messageHistory.id } },
      QueueOperation: { row: queueOperation, where: { id: queueOperation.id } },
      PolicyStatement: { row: policyStatement, where: { id: policyStatement.id } },
      AuditEvent: { row: auditEvent, where: { id: auditEvent.id } },
      Topic: { row: topic, where: { id: topic.id } },
      Subscription: { row: subscription, where: { id: subscription.id } },
      TopicMessage: { row: topicMessage, where: { id: topicMessage.id } },
      PushDelivery: { row: pushDelivery, where: { id: pushDelivery.id } },
      PushAttempt: { row: pushAttempt, where: { id: pushAttempt.id } },
      AlarmRule: { row: alarmRule, where: { id: alarmRule.id } },
      AlarmEvent: { row: alarmEvent, where: { id: alarmEvent.id } },
      AlarmAttempt: { row: alarmAttempt, where: { id: alarmAttempt.id } },
    };
    expect(Object.keys(rows).sort()).toEqual(Object.values(Prisma.ModelName).sort());
    for (const [model, { row, where }] of Object.entries(rows)) {
      // The delegates share this shape; Prisma's types cannot index them by a model name.
      const delegate = (prisma as unknown as Record<string, { findUniqueOrThrow(a: object): Promise<object> }>)[
        model.charAt(0).toLowerCase() + model.slice(1)
      ];
      expect(await delegate?.findUniqueOrThrow({ where }), model).toEqual(row);
    }

    await prisma.workerState.delete({ where: { name: "migrate-test" } });
    await prisma.account.delete({ where: { id: account.id } });
    const left = await Promise.all([
      prisma.user.count({ where: { accountId: account.id } }),
      prisma.apiKey.count({ where: { accountId: account.id } }),
      prisma.queue.count({ where: { accountId: account.id } }),
      prisma.message.count({ where: { queueId: queue.id } }),
      prisma.messageHistory.count({ where: { queueId: queue.id } }),
      prisma.queueOperation.count({ where: { accountId: account.id } }),
      prisma.queueStats.count({ where: { queueId: queue.id } }),
      prisma.policyStatement.count({ where: { accountId: account.id } }),
      prisma.auditEvent.count({ where: { accountId: account.id } }),
      prisma.topic.count({ where: { accountId: account.id } }),
      prisma.subscription.count({ where: { accountId: account.id } }),
      prisma.topicMessage.count({ where: { topicId: topic.id } }),
      prisma.pushDelivery.count({ where: { subscriptionId: subscription.id } }),
      prisma.pushAttempt.count({ where: { deliveryId: pushDelivery.id } }),
      prisma.alarmRule.count({ where: { accountId: account.id } }),
      prisma.alarmEvent.count({ where: { accountId: account.id } }),
      prisma.alarmAttempt.count({ where: { eventId: alarmEvent.id } }),
    ]);
    expect(left).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
