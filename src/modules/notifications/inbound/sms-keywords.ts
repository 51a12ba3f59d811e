/**
 * Carrier-standard SMS keywords and their common localised variants (Twilio's defaults plus the words
 * consignees in our markets actually send). Matched on the whole message, trimmed, case- and accent-folded.
 */
const STOP = ['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'opt out', 'arret', 'stopp', 'alto', 'baja', 'parar', 'pare', 'basta', 'afmelden', 'avsluta', 'afmeld', 'dur', 'iptal', '停止', '退订', '配信停止', '수신거부', '중지'];
const START = ['start', 'unstop', 'yes', 'subscribe', 'resume'];
const HELP = ['help', 'info', 'aide', 'hilfe', 'ayuda', 'ajuda', 'aiuto', 'hjälp', 'hjælp', 'yardim', 'yardım', '帮助', 'ヘルプ', '도움말'];

export type SmsKeyword = 'stop' | 'start' | 'help';

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').trim().toLowerCase().replace(/[.!]+$/, '');

export function smsKeyword(body: string): SmsKeyword | undefined {
  const word = fold(body);
  if (STOP.map(fold).includes(word)) return 'stop';
  if (START.map(fold).includes(word)) return 'start';
  if (HELP.map(fold).includes(word)) return 'help';
  return undefined;
}
