/**
 * Words the seed builds names, titles and reasons from. Fictitious but typical of Shanghai's
 * community organizations (社区社会组织); nothing here names a real person.
 */
import type {
  ActivityKind,
  Category,
  DissolutionKind,
} from '../organizations/domain/organization.types.js';

/** What an organization of each category does, as it appears in its name. */
export const ACTIVITIES: Readonly<Record<Category, readonly string[]>> = {
  'culture-sports': [
    '书画',
    '合唱',
    '舞蹈',
    '太极拳',
    '柔力球',
    '沪剧',
    '越剧',
    '京剧',
    '评弹',
    '摄影',
    '乒乓球',
    '棋牌',
    '健身操',
    '广场舞',
    '腰鼓',
    '手工编织',
    '读书',
    '民乐',
    '葫芦丝',
    '健步走',
    '门球',
    '羽毛球',
    '象棋',
    '围棋',
    '剪纸',
    '朗诵',
    '旗袍',
    '排舞',
    '木兰拳',
    '八段锦',
    '口琴',
    '茶艺',
    '插花',
    '诗词',
    '篆刻',
    '舞龙',
    '空竹',
    '瑜伽',
    '戏曲',
    '电影赏析',
  ],
  charity: [
    '为老服务',
    '助残',
    '慈善帮困',
    '爱心',
    '环保',
    '助学',
    '邻里互助',
    '关爱',
    '阳光助残',
    '结对帮扶',
    '爱心编织',
    '慈善义卖',
    '微心愿',
    '暖心',
    '公益',
    '助老',
    '便民志愿',
    '旧物回收',
    '关爱独居老人',
    '慈善超市',
  ],
  'life-service': [
    '老年助餐',
    '健康咨询',
    '育儿',
    '家政',
    '便民维修',
    '义务理发',
    '托育',
    '就业指导',
    '助浴',
    '健康养生',
    '家庭教育',
    '便民服务',
    '科普',
    '老年学习',
    '营养膳食',
    '康复',
    '早教',
    '智能手机教学',
    '家电维修',
    '四点半课堂',
  ],
  'community-affairs': [
    '治安巡逻',
    '垃圾分类',
    '楼组自治',
    '平安',
    '人民调解',
    '法律咨询',
    '消防安全',
    '邻里议事',
    '物业咨询',
    '禁毒宣传',
    '睦邻',
    '文明劝导',
    '交通协管',
    '心理疏导',
    '帮教',
    '楼道美化',
    '老伙伴',
    '巾帼',
    '阳光之家',
    '计生',
  ],
};

/** Extra community-affairs work of villages (rural production services). */
export const RURAL_AFFAIRS = [
  '农技互助',
  '农业生产服务',
  '村容村貌',
  '护河',
  '农机互助',
  '果蔬种植',
];

export const GROUP_SUFFIXES = ['小组', '兴趣小组', '沙龙', '活动小组', '爱好者小组'] as const;

export const TEAM_SUFFIXES: Readonly<Record<Category, readonly string[]>> = {
  'culture-sports': ['队', '团', '艺术团', '俱乐部'],
  charity: ['志愿服务队', '服务队', '志愿队'],
  'life-service': ['服务队', '志愿服务队', '互助队'],
  'community-affairs': ['志愿队', '工作队', '服务队', '自治队'],
};

export const SOCIAL_GROUP_SUFFIXES = ['协会', '促进会', '联谊会', '研究会'] as const;
export const SERVICE_INSTITUTION_SUFFIXES = ['服务中心', '服务社', '发展中心', '工作室'] as const;
/** Street-level support platforms (社区社会组织服务中心 and the like), registered without a community. */
export const PLATFORM_NAMES = [
  '社区公益服务中心',
  '社区社会组织服务中心',
  '社区睦邻服务中心',
  '社区社工服务社',
  '社区志愿者服务中心',
] as const;

export const ORDINALS = ['二', '三', '四', '五', '六', '七', '八', '九', '十'] as const;

// Common surnames in Shanghai and common given names of the generations that run most groups.
export const SURNAMES = Array.from(
  '陈张王李徐朱沈顾陆周吴金杨黄钱孙胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾蒋蔡姚潘施倪汤费严邵范',
);
export const GIVEN_NAMES = [
  '秀英',
  '建华',
  '国强',
  '美华',
  '丽娟',
  '伟',
  '敏',
  '静',
  '勇',
  '军',
  '芳',
  '红',
  '明',
  '玉兰',
  '凤英',
  '海平',
  '文杰',
  '丽华',
  '燕',
  '霞',
  '琴',
  '桂珍',
  '建国',
  '志强',
  '卫东',
  '宝珍',
  '爱华',
  '培',
  '慧',
  '晓东',
  '佩琴',
  '根娣',
  '惠英',
  '雪芳',
  '振华',
  '德明',
];

export const UNIT_KINDS = [
  '社区卫生服务中心',
  '社区文化活动中心',
  '小学',
  '物业服务有限公司',
  '社区党群服务中心',
  '幼儿园',
] as const;

export const ACTIVITY_KINDS_BY_CATEGORY: Readonly<
  Record<Category, Readonly<Partial<Record<ActivityKind, number>>>>
> = {
  'culture-sports': { culture: 55, sports: 40, education: 5 },
  charity: { 'volunteer-service': 60, 'public-service': 25, emergency: 5, other: 10 },
  'life-service': {
    'public-service': 45,
    education: 30,
    'volunteer-service': 15,
    consultation: 10,
  },
  'community-affairs': {
    consultation: 30,
    mediation: 20,
    'public-service': 25,
    emergency: 15,
    'volunteer-service': 10,
  },
};

/** Activity titles; `@` stands for what the organization does. */
export const ACTIVITY_TITLES: Readonly<Record<ActivityKind, readonly string[]>> = {
  culture: ['@展演', '@交流展示', '迎新春@联欢', '重阳敬老@专场', '社区文化节@展示', '@汇报演出'],
  sports: ['@友谊赛', '全民健身日@活动', '@邀请赛', '社区运动会', '@健身展示'],
  'volunteer-service': ['@志愿服务日', '学雷锋志愿服务活动', '邻里节志愿服务', '@进楼组'],
  'public-service': ['@便民服务集市', '社区@服务日', '@进社区', '@集中服务'],
  consultation: ['@议事会', '社区协商议事会', '@听证会', '楼组长@恳谈会'],
  mediation: ['邻里纠纷调解专场', '@矛盾调解会', '@调解进社区'],
  education: ['@讲座', '@培训班', '@公益课堂', '@知识竞赛'],
  emergency: ['防汛防台应急演练', '消防安全应急演练', '@应急演练', '突发事件疏散演练'],
  other: ['@主题活动', '@开放日', '@成果展'],
};

/** Reasons of a dissolution by its kind, for groups and teams and for registered organizations. */
export const DISSOLUTION_REASONS = {
  deregistered: {
    community: [
      '成员年龄偏大，活动难以为继，经成员协商自行解散',
      '负责人迁出本社区，无人组织活动',
      '活动场地调整后停止活动',
      '项目周期结束，组织终止',
    ],
    registered: [
      '经理事会决议注销',
      '业务并入街道社区服务中心，依法注销',
      '章程规定的宗旨已实现，申请注销',
    ],
  },
  revoked: {
    community: ['以组织名义开展营利性活动，经查实予以撤销', '活动存在安全隐患且拒不整改，予以撤销'],
    registered: ['连续两年未参加年度检查，依法撤销登记', '违反章程规定开展活动，依法撤销登记'],
  },
  cleared: {
    community: [
      '连续两年未开展活动，定期清理',
      '无负责人、无固定成员，名存实亡，予以清理',
      '长期联系不上，予以清理',
    ],
    registered: [],
  },
  merged: {
    community: ['与同类组织合并', '并入本社区同类组织，统一开展活动'],
    registered: ['经理事会决议并入同类社会组织', '业务整合，并入同类社会组织'],
  },
} as const satisfies Record<DissolutionKind, Record<'community' | 'registered', readonly string[]>>;

export const DEMOTION_REASONS = [
  '街道定期清理：连续一年未开展活动，撤销备案',
  '街道定期清理：成员不足，转为社区活动小组',
  '街道定期清理：备案信息长期未更新，撤销备案',
] as const;
export const CANCELLATION_AFTER_DISSOLUTION = '组织已解散，注销备案';

export const CORRECTION_REASONS = [
  '未按规定报告重大活动',
  '年度工作情况未按时报告',
  '财务收支未按规定公开',
  '活动内容超出备案范围',
  '负责人变更未及时报告',
  '以社区名义开展商业宣传',
  '活动存在安全隐患未及时整改',
] as const;
export const RESOLUTION_NOTES = [
  '已整改到位',
  '已补报相关材料',
  '已完成整改并公示',
  '经复查符合要求',
];

export const RECLASSIFICATION_CRITERIA = [
  '民政部社区社会组织统计口径（最新版）',
  '上海市社区社会组织四大重点领域分类指引',
] as const;

export const WELFARE_PURPOSE_LABELS = {
  elderly: '扶老',
  disability: '助残',
  orphans: '救孤',
  hardship: '济困',
  'other-welfare': '其他福利',
} as const;

/** Welfare purposes beyond the four named (the policy's 等), as `other-welfare` descriptions. */
export const OTHER_WELFARE_PURPOSES = [
  '助医：困难家庭就医陪护',
  '助学：困境儿童课后看护',
  '救灾：社区应急物资储备',
] as const;

/** District-level bodies that fund community organizations besides the civil-affairs bureau. */
export const DISTRICT_FUNDERS = [
  '妇女联合会',
  '总工会',
  '残疾人联合会',
  '体育局',
  '文化和旅游局',
  '精神文明建设办公室',
] as const;

/** What a spot check (抽查) found, by its result. */
export const SPOT_CHECK_FINDINGS = {
  passed: [
    '年度工作报告、财务收支和活动记录齐全，按章程开展活动',
    '内部治理规范，理事会按期换届，财务账目清楚',
    '活动开展正常，信息公开及时',
  ],
  rectify: [
    '财务票据管理不规范，部分支出缺少审批记录',
    '未按章程召开理事会，会议记录不全',
    '信息公开不及时，年度报告未在网站公示',
    '活动场所变更后未及时报备',
  ],
  failed: [
    '长期未开展业务活动，财务资料缺失',
    '超出章程规定的业务范围开展活动',
    '拒不提供财务会计资料',
  ],
} as const;

/** Why an organization is put on the abnormal-activity list (活动异常名录). */
export const ABNORMAL_REASONS = [
  '未按规定报送年度工作报告',
  '通过登记的住所无法取得联系',
  '未按规定公开年度工作报告',
  '抽查中发现未按章程开展活动',
] as const;

/** Where an organization meets (its venue, 活动场所), after the community or street it is in. */
export const VENUES = [
  '党群服务站',
  '居委会活动室',
  '文化活动中心',
  '睦邻点',
  '为老服务中心',
  '邻里汇',
] as const;

/** Business supervisory units (业务主管单位) a registered organization may change to. */
export const SUPERVISORY_UNITS = [
  '民政局',
  '文化和旅游局',
  '卫生健康委员会',
  '教育局',
  '体育局',
  '残疾人联合会',
] as const;
