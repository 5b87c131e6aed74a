/// reel's own lexicon: names and terms of the tech-explainer genre that jieba's 2013-era
/// dictionary does not know (platforms, products, models, people, the vocabulary of AI and
/// of short-video metrics), one word a line as in a `--lexicon` file. Compiled into the
/// binary, so a copied `reel` finds it without a resource bundle next to it.
/// Words are kept whole in captions; they never change what is drawn, only where lines break.
public enum TechLexicon {
    public static let text = """
    # Platforms and apps
    抖音
    快手
    小红书
    视频号
    哔哩哔哩
    B站
    剪映
    即梦
    可灵
    海螺
    豆包
    元宝
    通义
    千问
    通义千问
    文心一言
    智谱
    清言
    Kimi
    TikTok
    YouTube
    Shorts
    Reels
    CapCut
    # Models, companies, people
    OpenAI
    ChatGPT
    GPT-4o
    Sora
    Veo 3
    Gemini
    Claude
    DeepSeek
    深度求索
    Midjourney
    Stable Diffusion
    Runway
    英伟达
    谷歌
    卡帕西
    奥特曼
    马斯克
    黄仁勋
    # AI vocabulary
    大模型
    小模型
    多模态
    生成式
    扩散模型
    神经网络
    梯度下降
    反向传播
    损失函数
    可微
    可微分
    提示词
    算力
    智能体
    具身智能
    微调
    预训练
    推理模型
    开源
    闭源
    人工智能
    通用人工智能
    文生视频
    图生视频
    # Short-video vocabulary
    短视频
    长视频
    完播率
    互动率
    点赞量
    播放量
    涨粉
    带货
    直播间
    评论区
    推荐算法
    发推
    推文
    博主
    UP主
    网红
    日活
    月活
    趋近于零
    """

    public static let words: [String] = Lexicon.parse(text)
}
