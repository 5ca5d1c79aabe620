// Chat with the agent from Slack: what a linked person's DM or mention turns into.
import type { SlackChatHandler } from './events.ts';

export const CHAT_NOT_AVAILABLE_TEXT =
  '💬 Chatting with the sales assistant in Slack is not available yet — ' +
  'please use the web app for proposals, mockups and questions. Booking-order approvals work here: ' +
  'use the Approve / Reject / Cancel buttons in the messages I send you.';

/** Answers every message with CHAT_NOT_AVAILABLE_TEXT (in the thread of a mention). */
export const chatNotAvailable: SlackChatHandler = async (message, slack) => {
  await slack.chat.postMessage({
    channel: message.channel,
    text: CHAT_NOT_AVAILABLE_TEXT,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
  });
};
