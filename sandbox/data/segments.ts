/**
 * Segment user lists (users.csv: TAB-separated with a Chinese header row) and circle-select
 * rules (rules.csv: comma-separated, header `ruleId,eventName,eventType`).
 */
import { intHash, unitHash } from '../seededRandom';
import { RULES, type SegmentDefinition } from './catalog';

const MEMBER_LEVELS = ['普通会员', '银卡会员', '金卡会员', '钻石会员'];
const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '西安'];
const VISITOR_TAGS = ['utm_source=baidu', 'utm_source=wechat', '老客回访', '活动页进入'];

function visitorId(segmentId: string, index: number): string {
	const hex = (part: number) => Math.floor(unitHash(segmentId, index, part) * 0x1_0000_0000).toString(16).padStart(8, '0');
	const a = hex(1);
	const b = hex(2);
	const c = hex(3);
	const d = hex(4);
	return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** 8-digit login IDs; multiplying by a number coprime to the range keeps them unique. */
function loginUserId(segmentId: string, index: number): string {
	const offset = intHash(0, 89_999_999, segmentId);
	return String(10_000_000 + ((index * 7919 + offset) % 90_000_000));
}

/** One user's cells, matching the segment's header; some attributes are left empty. */
export function segmentUserRow(segment: SegmentDefinition, index: number): string[] {
	const row: string[] = [segment.userType === 'cs1' ? loginUserId(segment.id, index) : visitorId(segment.id, index)];
	for (let column = 1; column < segment.header.length; column++) {
		const u = unitHash(segment.id, index, column);
		if (u < 0.1) {
			row.push('');
			continue;
		}
		const name = segment.header[column];
		const values = name === '会员等级' ? MEMBER_LEVELS : name === '注册城市' ? CITIES : segment.userType === 'u' ? VISITOR_TAGS : MEMBER_LEVELS;
		row.push(values[Math.floor(((u - 0.1) / 0.9) * values.length)]);
	}
	return row;
}

/** The whole users.csv text: header row, then one TAB-separated line per user. */
export function segmentUsersCsv(segment: SegmentDefinition): string {
	const lines = [segment.header.join('\t')];
	for (let i = 0; i < segment.userNum; i++) lines.push(segmentUserRow(segment, i).join('\t'));
	return `${lines.join('\n')}\n`;
}

export function rulesCsv(): string {
	const lines = ['ruleId,eventName,eventType', ...RULES.map((rule) => `${rule.ruleId},${rule.eventName},${rule.eventType}`)];
	return `${lines.join('\n')}\n`;
}
