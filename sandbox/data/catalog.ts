/**
 * The sample project's saved objects: dashboards, event charts, funnels, retentions, segments
 * and circle-select rules. Everything is fixed so tests can name IDs; report rows are computed
 * from these definitions in reports.ts.
 */

/** Row layouts of event-analysis charts; each chart records its own. */
export type ChartLayout =
	/** [目标用户, timestamp, m1, m2…] */
	| 'line'
	/** [目标用户, timestamp, dim, m1, m2…]: a line chart split by one dimension */
	| 'lineWithDimension'
	/** [目标用户, dim, m1] */
	| 'horizontalBar'
	/** [目标用户, timestamp, m1, m2…] */
	| 'verticalBar'
	/** [目标用户, dim1, dim2, m1, m2] */
	| 'table'
	/** [目标用户, timestamp, m1] plus aggregator.values [current, previous] */
	| 'bigNumber'
	/** [目标用户, dim1, dim2, m1, m2] */
	| 'bubble';

export type MetricKind = 'count' | 'amount' | 'rate' | 'duration';

export interface MetricDefinition {
	name: string;
	kind: MetricKind;
	/** Typical value per day for counts and amounts (scaled by the bucket length). */
	base?: number;
	/** GrowingIO answers 0 for bounce rate, session length and the like at hourly intervals. */
	zeroWhenHourly?: boolean;
}

export interface DimensionDefinition {
	name: string;
	values: string[];
}

interface SavedReport {
	id: string;
	name: string;
	creator: string;
	createdAt: string;
	/** Target-user groups (目标用户); each gets its own rows. */
	targetUsers: string[];
	/** How many v3 exporter polls answer "doing" before the payload; default EXPORTER_DOING_POLLS. */
	exporterPolls?: number;
	/** Dashboards list it without `resource_type`, as GrowingIO's dashboard sample (看板数据API) does. */
	untypedOnDashboards?: boolean;
}

export interface ChartDefinition extends SavedReport {
	resourceType: 'chart';
	layout: ChartLayout;
	/** 0 dimensions for line/verticalBar/bigNumber, 1 for lineWithDimension/horizontalBar, 2 for table/bubble. */
	dimensions: DimensionDefinition[];
	metrics: MetricDefinition[];
	/** Metric values come back as numeric strings ("1234", "0.4321"), a quirk real clients coerce. */
	numericStrings?: boolean;
	/**
	 * `meta` names no 时间 column although the rows carry the timestamp, as GrowingIO's v2 chart
	 * sample shows (its meta lists 目标用户, dimensions and metrics; line rows add the time).
	 */
	metaWithoutTime?: boolean;
}

export interface FunnelDefinition extends SavedReport {
	resourceType: 'funnel';
	steps: string[];
	/** Saved conversion window in days, used when the request has none. */
	conversionWindow: number;
	/** Typical number of users entering the first step per day. */
	base: number;
}

export type RetentionRange = 'day' | 'week' | 'month';

export interface RetentionDefinition extends SavedReport {
	resourceType: 'retention';
	range: RetentionRange;
	/** Values of the 对比值 dimension. */
	comparisons: string[];
	/** The 用户行为 dimension: start behaviour → return behaviour. */
	behavior: string;
	/** Typical cohort size per day. */
	base: number;
}

export type ReportDefinition = ChartDefinition | FunnelDefinition | RetentionDefinition;

/** A dashboard widget of a kind the statistics APIs do not serve as a report (realtime, distribution). */
export interface WidgetDefinition {
	resourceType: 'realtime' | 'distribution';
	id: string;
	name: string;
	creator: string;
	createdAt: string;
}

export interface DashboardDefinition {
	id: string;
	name: string;
	type: 'normal' | 'realtimeV2';
	scope: 'global' | 'project' | 'user';
	creator: string;
	updater: string;
	createdAt: string;
	updatedAt: string;
	/** IDs of charts, funnels, retentions and widgets, in dashboard order. */
	items: string[];
}

export interface SegmentDefinition {
	id: string;
	name: string;
	/** 'u' = visitor-based, 'cs1' = login-user-based. */
	userType: 'u' | 'cs1';
	userNum: number;
	updatedAt: string;
	/** users.csv header row (Chinese, as the GrowingIO UI exports it). */
	header: string[];
	exporterPolls?: number;
}

export interface RuleDefinition {
	ruleId: string;
	eventName: string;
	eventType: 'clck' | 'chng' | 'subm' | 'page';
}

/** v3 exporter: polls answered `{"status":"doing"}` before the result, unless an item says otherwise. */
export const EXPORTER_DOING_POLLS = 2;

/** Single-download cap for event charts and segments (GrowingIO statistics overview). */
export const MAX_DOWNLOAD_ROWS = 200_000;

const VISITORS = '全部访问用户';
const LOGIN_USERS = '全部登录用户';

const SOURCES = ['直接访问', '搜索引擎', '外部链接', '社交媒体'];
const PLATFORMS = ['Web', 'iOS', 'Android', '微信小程序'];
const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '成都'];
const BROWSERS = ['Chrome', 'Safari', '微信内置浏览器', 'Edge'];
const AD_CHANNELS = ['百度推广', '巨量引擎', '腾讯广告', '微博粉丝通'];

export const CHARTS: ChartDefinition[] = [
	{
		resourceType: 'chart',
		id: 'Lw3kP9sD',
		name: '访问用户量趋势',
		creator: '张伟',
		createdAt: '2023-03-14',
		layout: 'line',
		targetUsers: [VISITORS],
		dimensions: [],
		metrics: [
			{ name: '访问用户量', kind: 'count', base: 18_000 },
			{ name: '页面浏览量', kind: 'count', base: 96_000 },
		],
	},
	{
		resourceType: 'chart',
		id: 'Ld8vN2qZ',
		name: '各渠道访问趋势',
		creator: '李娜',
		createdAt: '2023-04-02',
		layout: 'lineWithDimension',
		targetUsers: [VISITORS],
		dimensions: [{ name: '访问来源', values: SOURCES }],
		metrics: [
			{ name: '访问次数', kind: 'count', base: 6_500 },
			{ name: '新访问用户量', kind: 'count', base: 1_800 },
		],
	},
	{
		resourceType: 'chart',
		id: 'Hb5rT1xM',
		name: '城市分布',
		creator: '张伟',
		createdAt: '2023-05-09',
		layout: 'horizontalBar',
		targetUsers: [VISITORS],
		dimensions: [{ name: '城市', values: CITIES }],
		metrics: [{ name: '访问用户量', kind: 'count', base: 3_000 }],
	},
	{
		resourceType: 'chart',
		id: 'Vb2cY7uE',
		name: '每日新增注册',
		creator: '王芳',
		createdAt: '2023-05-21',
		layout: 'verticalBar',
		targetUsers: [VISITORS],
		dimensions: [],
		metrics: [
			{ name: '注册用户量', kind: 'count', base: 420 },
			{ name: '注册转化率', kind: 'rate' },
		],
	},
	{
		resourceType: 'chart',
		id: 'Tb9gH4jK',
		name: '渠道与平台明细',
		creator: '李娜',
		createdAt: '2023-06-30',
		layout: 'table',
		targetUsers: [VISITORS],
		dimensions: [
			{ name: '访问来源', values: SOURCES },
			{ name: '平台', values: PLATFORMS },
		],
		metrics: [
			{ name: '访问次数', kind: 'count', base: 1_200 },
			{ name: '跳出率', kind: 'rate', zeroWhenHourly: true },
		],
	},
	{
		resourceType: 'chart',
		id: 'Bn6wF3aS',
		name: '支付金额',
		creator: '张伟',
		createdAt: '2023-07-18',
		layout: 'bigNumber',
		targetUsers: [LOGIN_USERS],
		dimensions: [],
		metrics: [{ name: '支付金额', kind: 'amount', base: 256_000 }],
	},
	{
		resourceType: 'chart',
		id: 'Bu4zX8cV',
		name: '城市与浏览器气泡图',
		creator: '刘洋',
		createdAt: '2023-08-11',
		layout: 'bubble',
		targetUsers: [VISITORS],
		dimensions: [
			{ name: '城市', values: CITIES },
			{ name: '浏览器', values: BROWSERS },
		],
		metrics: [
			{ name: '访问用户量', kind: 'count', base: 600 },
			{ name: '平均访问时长', kind: 'duration', zeroWhenHourly: true },
		],
	},
	{
		resourceType: 'chart',
		id: 'Ns7dQ2mX',
		name: '订单量与订单金额（旧版报表）',
		creator: '陈静',
		createdAt: '2022-11-03',
		layout: 'line',
		targetUsers: [LOGIN_USERS],
		dimensions: [],
		metrics: [
			{ name: '订单量', kind: 'count', base: 2_300 },
			{ name: '订单金额', kind: 'amount', base: 310_000 },
		],
		// The one chart whose values are numeric strings, as some GrowingIO reports return them.
		numericStrings: true,
	},
	{
		resourceType: 'chart',
		id: 'Lq1aW5eR',
		name: '访问质量（访客与登录用户）',
		creator: '王芳',
		createdAt: '2023-09-27',
		layout: 'line',
		targetUsers: [VISITORS, LOGIN_USERS],
		dimensions: [],
		metrics: [
			{ name: '跳出率', kind: 'rate', zeroWhenHourly: true },
			{ name: '平均访问时长', kind: 'duration', zeroWhenHourly: true },
		],
		metaWithoutTime: true,
	},
	{
		resourceType: 'chart',
		id: 'Rl6tY0uI',
		name: '实时在线人数',
		creator: '李娜',
		createdAt: '2023-08-02',
		layout: 'line',
		targetUsers: [VISITORS],
		dimensions: [],
		metrics: [{ name: '在线人数', kind: 'count', base: 2_400 }],
		untypedOnDashboards: true,
	},
	{
		resourceType: 'chart',
		id: 'Ck2oP7lA',
		name: '广告渠道点击量',
		creator: '王芳',
		createdAt: '2023-11-20',
		layout: 'horizontalBar',
		targetUsers: [VISITORS],
		dimensions: [{ name: '广告渠道', values: AD_CHANNELS }],
		metrics: [{ name: '广告点击量', kind: 'count', base: 5_200 }],
	},
	{
		resourceType: 'chart',
		id: 'Bg8hJ3kL',
		name: '活跃用户数',
		creator: '李娜',
		createdAt: '2023-08-02',
		layout: 'bigNumber',
		targetUsers: [VISITORS],
		dimensions: [],
		metrics: [{ name: '活跃用户量', kind: 'count', base: 21_000 }],
		// A slow export: the v3 exporter answers "doing" four times.
		exporterPolls: 4,
	},
	// On no dashboard: 12 rows a day, so a range of decades passes GrowingIO's 200,000-row cap.
	{
		resourceType: 'chart',
		id: 'Pg4tR7wZ',
		name: '各页面访问趋势',
		creator: '陈静',
		createdAt: '2024-01-09',
		layout: 'lineWithDimension',
		targetUsers: [VISITORS],
		dimensions: [{ name: '页面', values: ['/', '/login', '/register', '/search', '/product', '/cart', '/checkout', '/pay', '/orders', '/profile', '/help', '/about'] }],
		metrics: [{ name: '页面浏览量', kind: 'count', base: 4_200 }],
	},
	// On no dashboard: 25 rows a day, so 2004-11-01 to 2026-09-26 (8,000 days) is exactly GrowingIO's
	// 200,000-row cap for one download.
	{
		resourceType: 'chart',
		id: 'Pc25kXw8',
		name: '页面访问明细（25 个页面）',
		creator: '陈静',
		createdAt: '2024-03-18',
		layout: 'lineWithDimension',
		targetUsers: [VISITORS],
		dimensions: [{ name: '页面', values: Array.from({ length: 25 }, (_, i) => `/page-${String(i + 1).padStart(2, '0')}`) }],
		metrics: [{ name: '页面浏览量', kind: 'count', base: 1_800 }],
	},
];

export const FUNNELS: FunnelDefinition[] = [
	{
		resourceType: 'funnel',
		id: 'Fn4uK8pQ',
		name: '注册转化漏斗',
		creator: '王芳',
		createdAt: '2023-04-16',
		targetUsers: [VISITORS],
		steps: ['访问首页', '浏览注册页', '提交注册', '注册成功'],
		conversionWindow: 7,
		base: 12_000,
	},
	{
		resourceType: 'funnel',
		id: 'Fn9rB2vX',
		name: '下单支付漏斗',
		creator: '张伟',
		createdAt: '2023-06-05',
		targetUsers: [VISITORS],
		steps: ['访问首页', '浏览商品', '加入购物车', '提交订单', '支付成功'],
		conversionWindow: 1,
		base: 16_000,
	},
];

export const RETENTIONS: RetentionDefinition[] = [
	{
		resourceType: 'retention',
		id: 'Rt2xM6nB',
		name: '新用户次日留存',
		creator: '刘洋',
		createdAt: '2023-02-08',
		targetUsers: [VISITORS],
		range: 'day',
		comparisons: ['全部'],
		behavior: '首次访问 → 任意行为',
		base: 2_000,
	},
	{
		resourceType: 'retention',
		id: 'Rt7qL3wE',
		name: '各平台周留存',
		creator: '张伟',
		createdAt: '2023-10-12',
		targetUsers: [LOGIN_USERS],
		range: 'week',
		comparisons: ['iOS', 'Android'],
		behavior: '注册成功 → 支付成功',
		base: 380,
	},
];

export const WIDGETS: WidgetDefinition[] = [
	{ resourceType: 'realtime', id: 'Rw1vT5eO', name: '实时访问（最近 30 分钟）', creator: '李娜', createdAt: '2023-12-05' },
	{ resourceType: 'distribution', id: 'Ds8qF3zP', name: '访问频次分布', creator: '刘洋', createdAt: '2023-12-06' },
];

/** Sorted by updatedAt, newest first, as GrowingIO lists them. */
export const DASHBOARDS: DashboardDefinition[] = [
	{
		id: 'YoX28w7R',
		name: '每日核心指标',
		type: 'normal',
		scope: 'project',
		creator: '张伟',
		updater: '李娜',
		createdAt: '2023-03-14',
		updatedAt: '2024-05-20',
		items: [
			'Lw3kP9sD',
			'Ld8vN2qZ',
			'Hb5rT1xM',
			'Fn4uK8pQ',
			'Vb2cY7uE',
			'Tb9gH4jK',
			'Rt2xM6nB',
			'Bn6wF3aS',
			'Bu4zX8cV',
			'Fn9rB2vX',
			'Ns7dQ2mX',
			'Lq1aW5eR',
			'Rt7qL3wE',
		],
	},
	{
		id: 'Rm5sQ9vK',
		name: '实时监控大屏',
		type: 'realtimeV2',
		scope: 'global',
		creator: '李娜',
		updater: '李娜',
		createdAt: '2023-08-02',
		updatedAt: '2024-05-18',
		items: ['Rl6tY0uI', 'Bg8hJ3kL', 'Bn6wF3aS'],
	},
	{
		id: 'Ch7nL2pW',
		name: '渠道投放分析',
		type: 'normal',
		scope: 'user',
		creator: '王芳',
		updater: '陈静',
		createdAt: '2023-11-20',
		updatedAt: '2024-04-30',
		items: ['Ld8vN2qZ', 'Ck2oP7lA', 'Tb9gH4jK', 'Fn9rB2vX'],
	},
	{
		id: 'Wk4rT8yU',
		name: '用户留存周报',
		type: 'normal',
		scope: 'project',
		creator: '刘洋',
		updater: '张伟',
		createdAt: '2022-12-01',
		updatedAt: '2024-03-11',
		items: ['Rt2xM6nB', 'Rt7qL3wE', 'Vb2cY7uE'],
	},
	{
		id: 'Em0pTy4B',
		name: '新建看板',
		type: 'normal',
		scope: 'user',
		creator: '陈静',
		updater: '陈静',
		createdAt: '2024-02-01',
		updatedAt: '2024-02-01',
		items: [],
	},
	{
		// Every shape GrowingIO's documents allow on one dashboard: a chart listed without
		// resource_type, widgets the statistics APIs do not serve, and a chart whose meta lacks 时间.
		id: 'Mx6wR2tK',
		name: '运营实时与分布',
		type: 'realtimeV2',
		scope: 'project',
		creator: '李娜',
		updater: '李娜',
		createdAt: '2023-12-05',
		updatedAt: '2023-12-28',
		items: ['Rl6tY0uI', 'Rw1vT5eO', 'Fn4uK8pQ', 'Ds8qF3zP', 'Lq1aW5eR'],
	},
];

export const SEGMENTS: SegmentDefinition[] = [
	{
		id: 'Sg3kD7fH',
		name: '高价值付费用户',
		userType: 'cs1',
		userNum: 320,
		updatedAt: '2024-05-19',
		header: ['登录用户ID', '会员等级', '注册城市'],
	},
	{
		id: 'Sg8pL1mN',
		name: '近7日活跃访客',
		userType: 'u',
		userNum: 1_500,
		updatedAt: '2024-05-20',
		header: ['访问用户ID', '访问用户变量1'],
	},
	{
		id: 'Sg5vC9xZ',
		name: '流失预警用户',
		userType: 'cs1',
		userNum: 0,
		updatedAt: '2024-04-02',
		header: ['登录用户ID', '登录用户变量1'],
	},
	{
		// Over the 200,000-row cap: users.csv answers 400 and the v3 exporter fails too (GrowingIO's v2
		// and v3 overviews give the same cap for segment downloads).
		id: 'Sg2bN6qW',
		name: '全部注册用户',
		userType: 'cs1',
		userNum: 250_000,
		updatedAt: '2024-05-01',
		header: ['登录用户ID', '会员等级'],
		exporterPolls: 3,
	},
];

export const RULES: RuleDefinition[] = [
	{ ruleId: 'f2503720', eventName: '元素_注册按钮', eventType: 'clck' },
	{ ruleId: 'a81c3e90', eventName: '元素_立即购买', eventType: 'clck' },
	{ ruleId: '0d7b42c5', eventName: '输入框_搜索关键词', eventType: 'chng' },
	{ ruleId: '9e6f1a3b', eventName: '表单_提交订单', eventType: 'subm' },
	{ ruleId: 'c4d8e2f6', eventName: '页面_商品详情页', eventType: 'page' },
	{ ruleId: '57ab90d1', eventName: '元素_加入购物车', eventType: 'clck' },
	{ ruleId: 'e3f6c812', eventName: '元素_领取优惠券', eventType: 'clck' },
	{ ruleId: '1b9d4a70', eventName: '页面_支付成功页', eventType: 'page' },
];

export type CatalogEntry =
	| { kind: 'dashboard'; item: DashboardDefinition }
	| { kind: 'chart'; item: ChartDefinition }
	| { kind: 'funnel'; item: FunnelDefinition }
	| { kind: 'retention'; item: RetentionDefinition }
	| { kind: 'segment'; item: SegmentDefinition }
	| { kind: 'widget'; item: WidgetDefinition };

const byId = new Map<string, CatalogEntry>();
for (const item of DASHBOARDS) byId.set(item.id, { kind: 'dashboard', item });
for (const item of CHARTS) byId.set(item.id, { kind: 'chart', item });
for (const item of FUNNELS) byId.set(item.id, { kind: 'funnel', item });
for (const item of RETENTIONS) byId.set(item.id, { kind: 'retention', item });
for (const item of SEGMENTS) byId.set(item.id, { kind: 'segment', item });
for (const item of WIDGETS) byId.set(item.id, { kind: 'widget', item });

/** Any sample object by ID; tests use it to compute expected answers. */
export function findItem(id: string): CatalogEntry | undefined {
	return byId.get(id);
}

export function findDashboard(id: string): DashboardDefinition | undefined {
	const entry = byId.get(id);
	return entry?.kind === 'dashboard' ? entry.item : undefined;
}

export function findChart(id: string): ChartDefinition | undefined {
	const entry = byId.get(id);
	return entry?.kind === 'chart' ? entry.item : undefined;
}

export function findFunnel(id: string): FunnelDefinition | undefined {
	const entry = byId.get(id);
	return entry?.kind === 'funnel' ? entry.item : undefined;
}

export function findRetention(id: string): RetentionDefinition | undefined {
	const entry = byId.get(id);
	return entry?.kind === 'retention' ? entry.item : undefined;
}

export function findSegment(id: string): SegmentDefinition | undefined {
	const entry = byId.get(id);
	return entry?.kind === 'segment' ? entry.item : undefined;
}

export function findReport(id: string): ReportDefinition | undefined {
	return findChart(id) ?? findFunnel(id) ?? findRetention(id);
}

/** One chart per layout, so tests can walk every layout without knowing IDs. */
export function chartForLayout(layout: ChartLayout): ChartDefinition {
	const chart = CHARTS.find((c) => c.layout === layout && !c.numericStrings && c.targetUsers.length === 1);
	if (!chart) throw new Error(`no sample chart has layout ${layout}`);
	return chart;
}
