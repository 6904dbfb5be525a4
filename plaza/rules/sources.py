"""The documents Plaza's rules come from, by the short names the rulebook uses."""

XIZE = "《细则》"  # 中国共产党发展党员工作细则 (2014)
DANGZHANG = "《党章》"  # 中国共产党章程 (2022)
XUANJU = "《选举条例》"  # 中国共产党基层组织选举工作条例 (2020)
RENQI = "《任期意见》"  # 关于党的基层组织任期的意见 (2018)
ZHIBU = "《支部条例》"  # 中国共产党支部工作条例(试行) (2018)
DANGFEI = "《党费规定》"  # 关于中国共产党党费收缴、使用和管理的规定 (中组发〔2008〕3号)
JIAOYU = "《教育管理条例》"  # 中国共产党党员教育管理工作条例 (2019)
LOCAL = "本单位规定"  # local practice: a setting of the organisation, with this default

TITLES = {
    XIZE: "中国共产党发展党员工作细则（2014）",
    DANGZHANG: "中国共产党章程（2022）",
    XUANJU: "中国共产党基层组织选举工作条例（2020）",
    RENQI: "关于党的基层组织任期的意见（2018）",
    ZHIBU: "中国共产党支部工作条例（试行）（2018）",
    DANGFEI: "关于中国共产党党费收缴、使用和管理的规定（中组发〔2008〕3号）",
    JIAOYU: "中国共产党党员教育管理工作条例（2019）",
    LOCAL: "本单位的设置（默认值见规则手册）",
}
