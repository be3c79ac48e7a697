// The fan-out event catalog (docs/fanout.md, "Event catalog").
export const EVENT_TYPES = [
  "call.received",
  "call.screened",
  "call.answered",
  "call.ended",
  "message.received",
  "message.sent",
  "outbound.dead",
  "registry.changed",
  "webhook.received",
  "frontdesk.test",
];
