//! 行业/领域: the field a project or an indicator belongs to, recognised by keywords in its
//! name, its description and its indicators' names. A field decides which 行业 indicators are
//! suggested and which indicators a bureau has made 固化 (required).

use serde::{Deserialize, Serialize};

/// A field of public spending (the 支出功能分类's main groups, as units name them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 教育.
    Education,
    /// 卫生健康.
    Health,
    /// 社会保障和就业.
    SocialSecurity,
    /// 农林水.
    Agriculture,
    /// 交通运输.
    Transport,
    /// 城乡社区 (住房城乡建设).
    Urban,
    /// 节能环保 (生态环境).
    Environment,
    /// 文化旅游体育与传媒.
    Culture,
    /// 科学技术.
    Science,
    /// 公共安全.
    PublicSafety,
    /// 一般公共服务 (机关运行, 办公).
    GeneralServices,
    /// 自然资源.
    NaturalResources,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 12] = [
        Field::Education,
        Field::Health,
        Field::SocialSecurity,
        Field::Agriculture,
        Field::Transport,
        Field::Urban,
        Field::Environment,
        Field::Culture,
        Field::Science,
        Field::PublicSafety,
        Field::GeneralServices,
        Field::NaturalResources,
    ];

    /// The Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Education => "教育",
            Field::Health => "卫生健康",
            Field::SocialSecurity => "社会保障和就业",
            Field::Agriculture => "农林水",
            Field::Transport => "交通运输",
            Field::Urban => "城乡社区",
            Field::Environment => "节能环保",
            Field::Culture => "文化旅游体育与传媒",
            Field::Science => "科学技术",
            Field::PublicSafety => "公共安全",
            Field::GeneralServices => "一般公共服务",
            Field::NaturalResources => "自然资源",
        }
    }

    /// The field named `text` (its Chinese name or its code, `education`).
    pub fn parse(text: &str) -> Option<Field> {
        let t = text.trim();
        Field::ALL
            .into_iter()
            .find(|f| f.name() == t || f.code() == t)
    }

    /// The code used in URLs and JSON (`education`).
    pub fn code(self) -> &'static str {
        match self {
            Field::Education => "education",
            Field::Health => "health",
            Field::SocialSecurity => "social_security",
            Field::Agriculture => "agriculture",
            Field::Transport => "transport",
            Field::Urban => "urban",
            Field::Environment => "environment",
            Field::Culture => "culture",
            Field::Science => "science",
            Field::PublicSafety => "public_safety",
            Field::GeneralServices => "general_services",
            Field::NaturalResources => "natural_resources",
        }
    }

    /// The words that place a text in this field.
    fn keywords(self) -> &'static [&'static str] {
        match self {
            Field::Education => &[
                "教育",
                "学校",
                "学生",
                "教师",
                "中学",
                "小学",
                "高中",
                "幼儿园",
                "学前",
                "职业教育",
                "助学",
                "资助",
                "营养餐",
                "校舍",
            ],
            Field::Health => &[
                "卫生",
                "医院",
                "医疗",
                "疾控",
                "疾病",
                "防疫",
                "公共卫生",
                "健康",
                "计划生育",
                "妇幼",
                "门诊",
                "诊所",
                "药品",
                "医保",
            ],
            Field::SocialSecurity => &[
                "就业",
                "社保",
                "社会保障",
                "养老",
                "低保",
                "救助",
                "救济",
                "残疾",
                "优抚",
                "退役",
                "三支一扶",
                "人力资源",
                "工伤",
                "失业",
            ],
            Field::Agriculture => &[
                "农业",
                "农村",
                "农田",
                "种植",
                "养殖",
                "畜牧",
                "动物防疫",
                "种子",
                "种薯",
                "化肥",
                "粮食",
                "林业",
                "造林",
                "水利",
                "水库",
                "灌溉",
                "河道",
                "乡村振兴",
                "扶贫",
            ],
            Field::Transport => &["交通", "公路", "道路", "桥梁", "农村公路", "运输", "客运"],
            Field::Urban => &[
                "城市", "城乡", "社区", "市政", "住房", "棚户", "供暖", "暖通", "燃气", "环卫",
                "园林",
            ],
            Field::Environment => &[
                "环保", "环境", "污染", "生态", "节能", "减排", "污水", "垃圾",
            ],
            Field::Culture => &[
                "文化",
                "旅游",
                "体育",
                "传媒",
                "广播",
                "电视",
                "图书馆",
                "文物",
                "非遗",
                "博物馆",
            ],
            Field::Science => &["科技", "科学", "研发", "技术推广", "创新"],
            Field::PublicSafety => &[
                "公安",
                "司法",
                "消防",
                "安全生产",
                "应急",
                "监狱",
                "法院",
                "检察",
                "执法",
                "食品安全",
            ],
            Field::GeneralServices => &[
                "办公",
                "机关",
                "运行保障",
                "物业",
                "会议",
                "大楼",
                "信息化",
                "政务",
            ],
            Field::NaturalResources => &["国土", "自然资源", "测绘", "矿产", "不动产", "耕地"],
        }
    }

    /// The field of a project: by its name's words when they name one, else by its name and
    /// description together (a 工伤 project whose description speaks of hospitals stays 社会保障).
    pub fn of_project(name: &str, description: &str) -> Option<Field> {
        Field::classify(name)
            .first()
            .or(Field::classify(&format!("{name} {description}")).first())
            .copied()
    }

    /// The fields `text` belongs to, most keywords first (none when no keyword is found).
    pub fn classify(text: &str) -> Vec<Field> {
        let mut hits: Vec<(usize, Field)> = Field::ALL
            .into_iter()
            .map(|f| (f.keywords().iter().filter(|k| text.contains(*k)).count(), f))
            .filter(|(n, _)| *n > 0)
            .collect();
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.into_iter().map(|(_, f)| f).collect()
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_are_placed_in_their_fields_by_their_words() {
        assert_eq!(
            Field::classify("2022年学生营养改善计划补助资金")[0],
            Field::Education
        );
        assert_eq!(
            Field::classify("中央农业防灾减灾(动物防疫补助)")[0],
            Field::Agriculture
        );
        assert_eq!(
            Field::classify("“三支一扶”省级财政补助资金")[0],
            Field::SocialSecurity
        );
        assert!(Field::classify("项目").is_empty());
        // The name decides before the description's words.
        let description = "保障老工伤人员医疗待遇，加强对协议医院的监管";
        assert_eq!(Field::classify(description)[0], Field::Health);
        assert_eq!(
            Field::of_project("老工伤工作经费", description),
            Some(Field::SocialSecurity)
        );
        assert_eq!(
            Field::of_project("专项经费", description),
            Some(Field::Health)
        );
        assert_eq!(Field::parse("education"), Some(Field::Education));
        assert_eq!(Field::parse("卫生健康"), Some(Field::Health));
        assert_eq!(Field::parse("别的"), None);
    }
}
