/**
 * Rows of raw-export files: one column list per data type and a seeded row
 * generator, so any part can be produced again byte for byte without being stored.
 */
import { csvField, csvLine, type CsvValue } from './csvWriter';
import { pick, seededRandom, type Random } from './seededRandom';
import { DAY_MS } from './time';
import { RULES } from './data/catalog';

export const RAW_DATA_TYPES = [
	'visit',
	'page',
	'action',
	'action_tag',
	'custom_event',
	'pvar',
	'evar',
	'vstr',
	'ads_track_activation',
	'ads_track_click',
] as const;

export type RawDataType = (typeof RAW_DATA_TYPES)[number];

export function isRawDataType(value: string): value is RawDataType {
	return (RAW_DATA_TYPES as readonly string[]).includes(value);
}

const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/** Header row per data type, in the documented order (note the inconsistent IMEI/imei casing). */
export const RAW_COLUMNS: Record<RawDataType, readonly string[]> = {
	visit: [
		'visitUserId', 'sessionId', 'accountVersion', 'platform', 'domain', 'page', 'queryParameters', 'referrer', 'language',
		'screenHeight', 'screenWidth', 'time', 'sendTime', 'ip', 'userAgent', 'operatingSystem', 'operatingSystemVersion',
		'clientVersion', 'channel', 'deviceBrand', 'deviceModel', 'deviceType', 'deviceOrientation', 'latitude', 'longitude',
		'vstRequestId', 'idfa', 'androidId', 'IMEI',
	],
	page: [
		'visitUserId', 'sessionId', 'platform', 'domain', 'page', 'queryParameters', 'referrer', 'referrerPage', 'title', 'time',
		'sendTime', 'deviceOrientation', 'loginUserId', 'pageGroup', 'appVariable', ...range('customerAttributes', 2, 10),
		...range('pageAttributes', 1, 10), 'pageRequestId', 'vstRequestId',
	],
	action: [
		'visitUserId', 'sessionId', 'requestType', 'domain', 'page', 'sendTime', 'time', 'href', 'requestValue', 'index', 'info',
		'pageRequestId', 'actionRequestId',
	],
	action_tag: ['sendTime', 'actionRequestId', 'ruleId', 'name', 'ruleType'],
	custom_event: [
		'visitUserId', 'sessionId', 'time', 'sendTime', 'pageTime', 'domain', 'page', 'queryParameters', 'eventName', 'eventNumber',
		'eventVariable', 'loginUserId', 'pageRequestId',
	],
	pvar: ['visitUserId', 'sessionId', 'time', 'sendTime', 'pageTime', 'domain', 'page', 'pageVariable', 'pageRequestId'],
	evar: ['visitUserId', 'sessionId', 'time', 'sendTime', 'domain', 'conversionVariable'],
	vstr: ['visitUserId', 'sessionId', 'time', 'sendTime', 'visitorVariable'],
	ads_track_activation: [
		'visitUserId', 'idfa', 'imei', 'uuid', 'androidId', 'ip', 'userAgent', 'platform', 'operatingSystemVersion', 'sendTime',
		'linkId', 'campaignId', 'channelID', 'linkName', 'campaignName', 'channelName', 'adsVariable', 'OAID',
	],
	ads_track_click: [
		'idfa', 'IMEI', 'uuid', 'androidId', 'ip', 'userAgent', 'platform', 'operatingSystemVersion', 'eventTime', 'linkId',
		'campaignId', 'channelId', 'linkName', 'campaignName', 'channelName', 'adsVariable', 'OAID', 'clickUrl',
	],
};

/** Which rows of a part to write: `rows` rows with sendTime spread over [fromTime, toTime). */
export interface RawPartContent {
	dataType: RawDataType;
	/** Seeds the generator; the same seed gives the same bytes. */
	seed: string;
	rows: number;
	fromTime: number;
	toTime: number;
}

const WEB_PAGES = ['/', '/product/1024', '/product/2048', '/cart', '/order/confirm', '/search', '/user/orders', '/activity/618'];
const APP_PAGES = ['HomeActivity', 'ProductDetailActivity', 'CartViewController', 'OrderConfirmViewController', 'SearchActivity'];
const TITLES = ['首页', '商品详情 - 无线降噪耳机', '手机, 平板 - 数码优选', '限时"秒杀"专场', '购物车', '订单确认', '我的订单', 'C:\\Downloads 帮助中心'];
const QUERIES = ['', 'utm_source=baidu&utm_medium=cpc', 'keyword=蓝牙耳机', 'id=1024&from=list', 'q=a,b'];
const REFERRERS = ['', 'https://www.baidu.com/s?wd=耳机', 'https://weixin.qq.com/', 'https://www.shop-demo.cn/'];
const INFOS = ['立即购买', '加入购物车', '搜索', '领取优惠券', '查看"详情"', '满300减50, 限今日'];
const EVENT_NAMES = ['addToCart', 'payOrderSuccess', 'searchKeyword', 'shareGoods', 'couponReceive'];
const GOODS = ['无线降噪耳机, 黑色', '智能手表', '"爆款"保温杯', '儿童绘本套装', '有机大米 5kg'];
const CITIES = ['北京', '上海', '广州', '深圳', '杭州'];
const CHANNELS = [
	{ id: 'ch0001', name: '百度推广' },
	{ id: 'ch0002', name: '巨量引擎' },
	{ id: 'ch0003', name: '腾讯广告' },
];
const CAMPAIGNS = [
	{ id: 'cp1001', name: '618大促' },
	{ id: 'cp1002', name: '新客拉新, 第二期' },
];
const BRANDS = [
	{ brand: 'Apple', model: 'iPhone14,2', os: 'iOS', osVersion: '16.5' },
	{ brand: 'HUAWEI', model: 'NOH-AN00', os: 'Android', osVersion: '12' },
	{ brand: 'Xiaomi', model: 'M2102K1C', os: 'Android', osVersion: '13' },
];
const USER_AGENTS = [
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
	'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40',
	'GrowingIO-Android-SDK/3.4.0',
];

function hex(random: Random, length: number): string {
	let text = '';
	while (text.length < length) text += Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, '0');
	return text.slice(0, length);
}

function uuid(random: Random): string {
	const h = hex(random, 32);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

function ip(random: Random): string {
	return `${pick(random, [36, 58, 111, 223])}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
}

/**
 * Map columns are `map<string,string>` whose text form is undocumented: JSON for most rows,
 * Scala-style `{"city"->"beijing"}` for row 1 of each part, and empty for some rows.
 */
function mapValue(index: number, random: Random, entries: Record<string, string>): string {
	if (index === 1) return '{"city"->"beijing"}';
	if (random() < 0.15) return '';
	return JSON.stringify(entries);
}

interface Visit {
	visitUserId: string;
	sessionId: string;
	platform: string;
	domain: string;
	page: string;
	loginUserId: string;
	device: (typeof BRANDS)[number];
}

function visitFor(random: Random): Visit {
	const platform = pick(random, ['Web', 'Web', 'iOS', 'Android', 'MinP']);
	const app = platform === 'iOS' || platform === 'Android';
	return {
		visitUserId: uuid(random),
		sessionId: uuid(random),
		platform,
		domain: app ? 'com.shopdemo.app' : platform === 'MinP' ? 'wx1234567890abcdef' : 'www.shop-demo.cn',
		page: app ? pick(random, APP_PAGES) : pick(random, WEB_PAGES),
		loginUserId: random() < 0.4 ? String(10_000_000 + Math.floor(random() * 90_000_000)) : '',
		device: platform === 'iOS' ? BRANDS[0] : pick(random, BRANDS.slice(1)),
	};
}

/** The client clock (`time`) usually trails sendTime by seconds and is sometimes days off. */
function clientTime(random: Random, sendTime: number): number {
	return random() < 0.01 ? sendTime - 3 * DAY_MS : sendTime - Math.floor(random() * 3000);
}

type RowBuilder = (random: Random, index: number, sendTime: number) => CsvValue[];

const ROW_BUILDERS: Record<RawDataType, RowBuilder> = {
	visit: (random, _index, sendTime) => {
		const v = visitFor(random);
		const web = v.platform === 'Web';
		return [
			v.visitUserId, v.sessionId, pick(random, ['2.0', '3.0']), v.platform, v.domain, v.page, pick(random, QUERIES),
			pick(random, REFERRERS), 'zh_CN', web ? 1080 : 2532, web ? 1920 : 1170, clientTime(random, sendTime), sendTime, ip(random),
			web ? USER_AGENTS[0] : pick(random, USER_AGENTS), web ? 'Windows' : v.device.os, web ? '10' : v.device.osVersion,
			web ? '' : '5.12.0', web ? '' : pick(random, ['App Store', 'huawei', 'xiaomi']), web ? '' : v.device.brand,
			web ? '' : v.device.model, web ? 'PC' : 'PHONE', web ? '' : 'PORTRAIT', Math.round((22 + random() * 18) * 1e6) / 1e6,
			Math.round((100 + random() * 20) * 1e6) / 1e6, uuid(random), v.platform === 'iOS' ? uuid(random) : '',
			v.platform === 'Android' ? hex(random, 16) : '', v.platform === 'Android' && random() < 0.3 ? `86${Math.floor(random() * 1e13)}` : '',
		];
	},
	page: (random, index, sendTime) => {
		const v = visitFor(random);
		const attributes = Array.from({ length: 19 }, (_, i) => (i === 0 && random() < 0.3 ? pick(random, CITIES) : ''));
		return [
			v.visitUserId, v.sessionId, v.platform, v.domain, v.page, pick(random, QUERIES), pick(random, REFERRERS),
			random() < 0.5 ? pick(random, WEB_PAGES) : '', pick(random, TITLES), clientTime(random, sendTime), sendTime,
			v.platform === 'Web' ? '' : 'PORTRAIT', v.loginUserId, '', mapValue(index, random, { version: '1.1', 渠道: pick(random, ['官网', '应用宝']) }),
			...attributes, uuid(random), uuid(random),
		];
	},
	action: (random, _index, sendTime) => {
		const v = visitFor(random);
		const type = pick(random, ['clck', 'clck', 'clck', 'chng', 'subm']);
		return [
			v.visitUserId, v.sessionId, type, v.domain, v.page, sendTime, clientTime(random, sendTime),
			type === 'clck' ? pick(random, ['/product/1024', '/cart', '']) : '', type === 'chng' ? pick(random, ['蓝牙耳机', 'iPhone 15, 256G']) : '',
			Math.floor(random() * 20), pick(random, INFOS), uuid(random), uuid(random),
		];
	},
	action_tag: (random, _index, sendTime) => {
		const rule = pick(random, RULES);
		return [sendTime, uuid(random), rule.ruleId, rule.eventName, rule.eventType];
	},
	custom_event: (random, index, sendTime) => {
		const v = visitFor(random);
		const time = clientTime(random, sendTime);
		const event = pick(random, EVENT_NAMES);
		return [
			v.visitUserId, v.sessionId, time, sendTime, time - Math.floor(random() * 60_000), v.domain, v.page, pick(random, QUERIES), event,
			event === 'payOrderSuccess' ? Math.round(random() * 100_000) / 100 : 1,
			mapValue(index, random, { 商品名称: pick(random, GOODS), 价格: String(Math.floor(random() * 900) + 9), 支付方式: pick(random, ['微信支付', '支付宝']) }),
			v.loginUserId, uuid(random),
		];
	},
	pvar: (random, index, sendTime) => {
		const v = visitFor(random);
		const time = clientTime(random, sendTime);
		return [
			v.visitUserId, v.sessionId, time, sendTime, time - Math.floor(random() * 60_000), v.domain, v.page,
			mapValue(index, random, { 页面类型: pick(random, ['商品页', '活动页', '首页']), 品类: pick(random, ['数码', '母婴', '生鲜']) }), uuid(random),
		];
	},
	evar: (random, index, sendTime) => {
		const v = visitFor(random);
		return [
			v.visitUserId, v.sessionId, clientTime(random, sendTime), sendTime, v.domain,
			mapValue(index, random, { 活动名称: pick(random, ['618大促', '双11预热']), 优惠券: pick(random, ['满300减50', '新人券']) }),
		];
	},
	vstr: (random, index, sendTime) => {
		const v = visitFor(random);
		return [v.visitUserId, v.sessionId, clientTime(random, sendTime), sendTime, mapValue(index, random, { 城市: pick(random, CITIES), 性别: pick(random, ['男', '女']) })];
	},
	ads_track_activation: (random, index, sendTime) => {
		const device = pick(random, BRANDS);
		const ios = device.os === 'iOS';
		const channel = pick(random, CHANNELS);
		const campaign = pick(random, CAMPAIGNS);
		return [
			uuid(random), ios ? uuid(random) : '', ios ? '' : `86${Math.floor(random() * 1e13)}`, uuid(random), ios ? '' : hex(random, 16), ip(random),
			pick(random, USER_AGENTS), ios ? 'iOS' : 'Android', device.osVersion, sendTime, `lk${hex(random, 6)}`, campaign.id, channel.id,
			`${channel.name}-落地页`, campaign.name, channel.name, mapValue(index, random, { 素材: pick(random, ['视频A', '图文B']) }), ios ? '' : hex(random, 32),
		];
	},
	ads_track_click: (random, index, sendTime) => {
		const device = pick(random, BRANDS);
		const ios = device.os === 'iOS';
		const channel = pick(random, CHANNELS);
		const campaign = pick(random, CAMPAIGNS);
		const linkId = `lk${hex(random, 6)}`;
		return [
			ios ? uuid(random) : '', ios ? '' : `86${Math.floor(random() * 1e13)}`, uuid(random), ios ? '' : hex(random, 16), ip(random),
			pick(random, USER_AGENTS), ios ? 'iOS' : 'Android', device.osVersion, sendTime, linkId, campaign.id, channel.id,
			`${channel.name}-落地页`, campaign.name, channel.name, mapValue(index, random, { 关键词: pick(random, ['耳机', '手表, 运动']) }),
			ios ? '' : hex(random, 32), `https://t.shop-demo.cn/${linkId}?cid=${campaign.id}`,
		];
	},
};

/** The CSV text of one part, as string chunks of roughly `chunkChars` characters (header first). */
export function* rawCsvChunks(content: RawPartContent, chunkChars = 64 * 1024): Generator<string> {
	const random = seededRandom(content.seed);
	const build = ROW_BUILDERS[content.dataType];
	const span = content.toTime - content.fromTime;
	let chunk = csvLine(RAW_COLUMNS[content.dataType]);
	for (let index = 0; index < content.rows; index++) {
		// Rows come in sendTime order, spread evenly over the part's slice of the period.
		const sendTime = content.fromTime + Math.floor(((index + random()) * span) / content.rows);
		chunk += csvLine(build(random, index, sendTime));
		if (chunk.length >= chunkChars) {
			yield chunk;
			chunk = '';
		}
	}
	if (chunk) yield chunk;
}

/** Columns holding epoch-ms times; the fast generator shifts them per row. */
const TIME_COLUMNS = new Set(['time', 'sendTime', 'pageTime', 'eventTime']);
const TEMPLATE_COUNT = 1024;
const OUTPUT_CHUNK_BYTES = 256 * 1024;

/** A pre-encoded row: `texts[0] t0 texts[1] t1 … texts[n]`, with ti = sendTime + offsets[i]. */
interface RowTemplate {
	texts: Buffer[];
	offsets: number[];
	fixedBytes: number;
}

function rowTemplates(content: RawPartContent): RowTemplate[] {
	const random = seededRandom(`${content.seed}|templates`);
	const columns = RAW_COLUMNS[content.dataType];
	const build = ROW_BUILDERS[content.dataType];
	return Array.from({ length: TEMPLATE_COUNT }, (_, index) => {
		const values = build(random, index, content.fromTime);
		const texts: string[] = [];
		const offsets: number[] = [];
		let text = '';
		columns.forEach((name, column) => {
			const value = values[column];
			if (column) text += ',';
			if (TIME_COLUMNS.has(name) && typeof value === 'number') {
				texts.push(text);
				offsets.push(value - content.fromTime);
				text = '';
			} else {
				text += csvField(value);
			}
		});
		texts.push(`${text}\n`);
		const encoded = texts.map((t) => Buffer.from(t, 'utf8'));
		return { texts: encoded, offsets, fixedBytes: encoded.reduce((sum, b) => sum + b.length, 0) };
	});
}

function digitCount(value: number): number {
	if (value >= 1e12 && value < 1e13) return 13;
	return String(value).length;
}

/** Writes a whole number as ASCII digits at `position`; returns the position after it. */
function writeInteger(target: Buffer, position: number, value: number): number {
	let rest = value;
	if (rest < 0) {
		target[position++] = 0x2d;
		rest = -rest;
	}
	const end = position + digitCount(rest);
	for (let at = end - 1; at >= position; at--) {
		target[at] = 0x30 + (rest % 10);
		rest = Math.floor(rest / 10);
	}
	return end;
}

/** A part too large to hold in memory: its exact byte length, and its bytes on demand. */
export interface StreamedCsv {
	byteLength: number;
	chunks(): Generator<Buffer>;
}

/**
 * A part of hundreds of megabytes, generated fast: 1,024 rows are built once and repeated with
 * their times shifted (so IDs repeat every 1,024 rows). Rows keep sendTime order, and the byte
 * length is known without producing the bytes, so Content-Length can be sent first.
 */
export function repeatedCsv(content: RawPartContent): StreamedCsv {
	const templates = rowTemplates(content);
	const header = Buffer.from(csvLine(RAW_COLUMNS[content.dataType]), 'utf8');
	const span = content.toTime - content.fromTime;
	const sendTimeOf = (index: number) => content.fromTime + Math.floor(((index + 0.5) * span) / content.rows);
	let byteLength = header.length;
	for (let index = 0; index < content.rows; index++) {
		const template = templates[index % TEMPLATE_COUNT];
		const sendTime = sendTimeOf(index);
		byteLength += template.fixedBytes;
		for (const offset of template.offsets) byteLength += digitCount(sendTime + offset) + (sendTime + offset < 0 ? 1 : 0);
	}
	const maxRowBytes = Math.max(...templates.map((t) => t.fixedBytes + t.offsets.length * 16));
	return {
		byteLength,
		*chunks() {
			yield header;
			let buffer = Buffer.allocUnsafe(OUTPUT_CHUNK_BYTES);
			let position = 0;
			for (let index = 0; index < content.rows; index++) {
				if (position + maxRowBytes > buffer.length) {
					yield buffer.subarray(0, position);
					buffer = Buffer.allocUnsafe(OUTPUT_CHUNK_BYTES);
					position = 0;
				}
				const template = templates[index % TEMPLATE_COUNT];
				const sendTime = sendTimeOf(index);
				position += template.texts[0].copy(buffer, position);
				for (let i = 0; i < template.offsets.length; i++) {
					position = writeInteger(buffer, position, sendTime + template.offsets[i]);
					position += template.texts[i + 1].copy(buffer, position);
				}
			}
			if (position) yield buffer.subarray(0, position);
		},
	};
}
