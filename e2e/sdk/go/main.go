// Drives Tencent's official CMQ Go SDK (tencentcloud-cmq-sdk-go, package tdmq) against OpenCMQ.
//
// Run by e2e/api/sdk-go.spec.ts with, in the environment, CMQ_ENDPOINT (http://host:port),
// CMQ_SECRET_ID, CMQ_SECRET_KEY, CMQ_QUEUE (an empty queue) and CMQ_MISSING_QUEUE (a name that
// does not exist). The SDK has only message actions, so the spec creates and deletes the queue.
// Prints one line per step with nothing that changes between runs, so the spec can compare the
// whole output. Exits 1 on a transport or decoding error.
package main

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	tdmq "github.com/TencentCloud/tencentcloud-cmq-sdk-go"
)

var (
	endpoint  = os.Getenv("CMQ_ENDPOINT")
	secretID  = os.Getenv("CMQ_SECRET_ID")
	secretKey = os.Getenv("CMQ_SECRET_KEY")
	queueName = os.Getenv("CMQ_QUEUE")
	missing   = os.Getenv("CMQ_MISSING_QUEUE")
	moduleRe  = regexp.MustCompile(`^\((\d+)\)`)
)

func say(step string, facts ...interface{}) {
	if len(facts) == 0 {
		fmt.Println(step)
		return
	}
	parts := make([]string, len(facts))
	for i, f := range facts {
		parts[i] = fmt.Sprint(f)
	}
	fmt.Printf("%s: %s\n", step, strings.Join(parts, " "))
}

func must(err error) {
	if err != nil {
		fmt.Println("ERROR:", err)
		os.Exit(1)
	}
}

// outcome names a result's code and the module code CMQ puts at the start of its message.
func outcome(r tdmq.Result) string {
	module := "-"
	if m := moduleRe.FindStringSubmatch(r.Message()); m != nil {
		module = m[1]
	}
	return fmt.Sprintf("code=%d module=%s", r.Code(), module)
}

func client(path, signMethod, method, key string) *tdmq.Client {
	c, err := tdmq.NewClient(endpoint+path, secretID, key, 30*time.Second)
	must(err)
	c.SignMethod = signMethod
	c.Method = method
	return c
}

func messageFacts(m tdmq.Message) string {
	now := time.Now().Unix()
	sane := m.MsgId() != "" && m.Handle() != "" && abs(m.EnqueueTime()-now) < 600 && m.NextVisibleTime() >= m.EnqueueTime()
	return fmt.Sprintf("body=%q dequeueCount=%d fields=%s", m.MsgBody(), m.DequeueCount(), okBad(sane))
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func okBad(ok bool) string {
	if ok {
		return "ok"
	}
	return "BAD"
}

// roundTrip sends, receives and deletes one message and a batch through one client.
func roundTrip(label string, c *tdmq.Client) {
	q := &tdmq.Queue{Client: c, Name: queueName}
	sent, err := q.Send("hello from go")
	must(err)
	say(label+" Send", outcome(sent), "msgId="+okBad(sent.MsgId() != ""), "clientRequestId="+okBad(sent.ClientId() == c.Id))
	got, err := q.Receive()
	must(err)
	say(label+" Receive", outcome(got), messageFacts(got))
	deleted, err := q.Delete(got.Handle())
	must(err)
	say(label+" Delete", outcome(deleted))
	again, err := q.Delete(got.Handle())
	must(err)
	say(label+" Delete again", outcome(again))

	bodies := []string{"@starts-with-at", "plain", "spaces & symbols =+%/?", "unicode ✓ 中文"}
	batch, err := q.BatchSend(bodies...)
	must(err)
	ids := batch.MsgIDs()
	allIds := len(ids) == len(bodies)
	for _, id := range ids {
		allIds = allIds && id.MsgId() != ""
	}
	say(label+" BatchSend", outcome(batch), fmt.Sprintf("count=%d", len(ids)), "ids="+okBad(allIds))
	received, err := q.BatchReceive(16)
	must(err)
	var gotBodies, handles []string
	for _, m := range received.MsgInfos() {
		gotBodies = append(gotBodies, m.MsgBody())
		handles = append(handles, m.Handle())
	}
	sort.Strings(gotBodies)
	say(label+" BatchReceive", outcome(received), fmt.Sprintf("count=%d %q", len(gotBodies), gotBodies))
	del, err := q.BatchDelete(handles...)
	must(err)
	say(label+" BatchDelete", outcome(del))
	delAgain, err := q.BatchDelete(handles...)
	must(err)
	say(label+" BatchDelete again", outcome(delAgain), fmt.Sprintf("errors=%d", len(delAgain.Errors())))
	empty, err := q.Receive()
	must(err)
	say(label+" Receive empty", outcome(empty))
}

func longPoll() {
	c := client("", tdmq.HmacSHA1, "POST", secretKey)
	sender := client("/v2/index.php", tdmq.HmacSHA256, "POST", secretKey)
	q := &tdmq.Queue{Client: c, Name: queueName, PollingWaitSeconds: 10}
	go func() {
		time.Sleep(time.Second)
		_, err := sender.SendMessage(queueName, "woke the waiter", 0)
		must(err)
	}()
	got, err := q.Receive()
	must(err)
	say("long poll Receive (10 s)", outcome(got), messageFacts(got))
	_, err = q.Delete(got.Handle())
	must(err)
	go func() {
		time.Sleep(time.Second)
		_, err := sender.BatchSendMessage(queueName, []string{"@batch woke the waiter"}, 0)
		must(err)
	}()
	batch, err := q.BatchReceive(16)
	must(err)
	var bodies, handles []string
	for _, m := range batch.MsgInfos() {
		bodies = append(bodies, m.MsgBody())
		handles = append(handles, m.Handle())
	}
	say("long poll BatchReceive (10 s)", outcome(batch), fmt.Sprintf("%q", bodies))
	_, err = q.BatchDelete(handles...)
	must(err)

	// A delayed message (delaySeconds) is invisible until it is due.
	_, err = sender.SendMessage(queueName, "delayed", 30)
	must(err)
	hidden, err := (&tdmq.Queue{Client: c, Name: queueName}).Receive()
	must(err)
	say("Receive before a delayed message is due", outcome(hidden))
}

func errors() {
	c := client("/v2/index.php", tdmq.HmacSHA1, "POST", secretKey)
	r1, err := c.SendMessage(missing, "x", 0)
	must(err)
	say("SendMessage missing queue", outcome(r1))
	r2, err := c.ReceiveMessage(missing, 0)
	must(err)
	say("ReceiveMessage missing queue", outcome(r2))
	r3, err := c.BatchDeleteMessage(missing, []string{"1:abc"})
	must(err)
	say("BatchDeleteMessage missing queue", outcome(r3))
	r4, err := c.DeleteMessage(queueName, "1:0123456789abcdef")
	must(err)
	say("DeleteMessage unknown handle", outcome(r4))
	r7, err := c.SendMessage(queueName, strings.Repeat("x", 65537), 0)
	must(err)
	say("SendMessage larger than maxMsgSize", outcome(r7))
	r8, err := c.QueryQueueRoute(queueName)
	must(err)
	say("QueryQueueRoute (not supported)", outcome(r8))
	r9, err := c.PublishMessage(missing, "x", "", nil)
	must(err)
	say("PublishMessage missing topic", outcome(r9))
	for _, variant := range []struct{ path, sign string }{{"/v2/index.php", tdmq.HmacSHA1}, {"", tdmq.HmacSHA256}} {
		wrong := client(variant.path, variant.sign, "POST", secretKey+"x")
		r, err := wrong.SendMessage(queueName, "x", 0)
		must(err)
		say("wrong secret key "+variant.sign+" at "+pathName(variant.path), outcome(r))
	}
	unknown, err := tdmq.NewClient(endpoint, "AKID"+strings.Repeat("0", 32), secretKey, 30*time.Second)
	must(err)
	r5, err := unknown.SendMessage(queueName, "x", 0)
	must(err)
	say("unknown secret id", outcome(r5))
	notAkid, err := tdmq.NewClient(endpoint, "XYZ"+secretID, secretKey, 30*time.Second)
	must(err)
	r6, err := notAkid.SendMessage(queueName, "x", 0)
	must(err)
	say("secret id without AKID", outcome(r6))
}

func pathName(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

// topics publishes through tdmq.Topic (Publish, BatchPublish) to the topics e2e/api/sdk-go-topics.spec.ts
// made: CMQ_TAG_TOPIC, whose one queue subscription filters by tag "go", and CMQ_ROUTING_TOPIC, whose
// one queue subscription binds "go.*". The spec reads the queues afterwards.
func topics(tagTopic, routingTopic string) {
	c := client("/v2/index.php", tdmq.HmacSHA256, "POST", secretKey)
	tagged := &tdmq.Topic{Client: c, Name: tagTopic, Tags: []string{"go"}}
	r1, err := tagged.Publish("go tagged")
	must(err)
	say("Publish (tag go)", outcome(r1), "msgId="+okIf(r1.Code() == 0 && r1.MsgId() != ""))
	r2, err := tagged.BatchPublish("go b1", "@go b2")
	must(err)
	count := 0
	if r2.Code() == 0 {
		for _, m := range r2.MsgIDs() {
			if m.MsgId() != "" {
				count++
			}
		}
	}
	say("BatchPublish (tag go)", outcome(r2), fmt.Sprintf("ids=%d", count))
	r3, err := (&tdmq.Topic{Client: c, Name: tagTopic}).Publish("go untagged")
	must(err)
	say("Publish without tags", outcome(r3))
	routed := &tdmq.Topic{Client: c, Name: routingTopic, RoutingKey: "go.eu"}
	r4, err := routed.Publish("go routed")
	must(err)
	say("Publish (routing key go.eu)", outcome(r4))
	r5, err := routed.BatchPublish("go routed b1", "go routed b2")
	must(err)
	say("BatchPublish (routing key go.eu)", outcome(r5))
	r6, err := (&tdmq.Topic{Client: c, Name: routingTopic, RoutingKey: "stop.eu"}).BatchPublish("x")
	must(err)
	say("BatchPublish (routing key stop.eu)", outcome(r6))
	r7, err := (&tdmq.Topic{Client: c, Name: routingTopic}).Publish("no key")
	must(err)
	say("Publish (empty routing key)", outcome(r7))
}

func okIf(ok bool) string {
	if ok {
		return "ok"
	}
	return "BAD"
}

func main() {
	if tagTopic := os.Getenv("CMQ_TAG_TOPIC"); tagTopic != "" {
		topics(tagTopic, os.Getenv("CMQ_ROUTING_TOPIC"))
		say("done")
		return
	}
	for _, method := range []string{"POST", "GET"} {
		for _, path := range []string{"/v2/index.php", ""} {
			for _, sign := range []string{tdmq.HmacSHA1, tdmq.HmacSHA256} {
				roundTrip(fmt.Sprintf("%s %s %s", sign, method, pathName(path)), client(path, sign, method, secretKey))
			}
		}
	}
	longPoll()
	errors()
	say("done")
}
