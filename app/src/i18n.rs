//! Every string a user reads, in Japanese (the default), English and Korean.
//!
//! A small typed catalogue rather than leptos_i18n: the key set is checked at compile
//! time, a missing translation is a compile error (each entry names all three), and it
//! adds no build script or second copy of leptos-use to the wasm. The locale is fixed
//! for a page load (it comes from the signed-in user), so lookups are plain functions.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Ja,
    En,
    Ko,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Ja, Locale::En, Locale::Ko];

    /// The BCP 47 tag, for `<html lang>` and the store.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Ja => "ja",
            Locale::En => "en",
            Locale::Ko => "ko",
        }
    }

    pub fn parse(tag: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.tag() == tag)
    }

    /// The language's own name, as a language picker shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Ja => "日本語",
            Locale::En => "English",
            Locale::Ko => "한국어",
        }
    }
}

// Each message is a constant of its own (its three texts), not a variant of one enum
// looked up in one function: a lookup function would hold every text of the UI, and as
// the main module's it would bring them all to every page. A constant's texts go with
// the code that uses them, into the piece of the wasm that shows them.
macro_rules! catalogue {
    ($($key:ident => [$ja:expr, $en:expr, $ko:expr]),* $(,)?) => {
        #[allow(non_upper_case_globals)]
        impl Key {
            $(pub const $key: Key = Key(&[$ja, $en, $ko]);)*
        }
    };
}

/// A message of the UI: its text in each locale, in the order of [`Locale::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key(&'static [&'static str; 3]);

/// The message `key` in `locale`.
pub fn text(locale: Locale, key: Key) -> &'static str {
    key.0[match locale {
        Locale::Ja => 0,
        Locale::En => 1,
        Locale::Ko => 2,
    }]
}

catalogue! {
    AppName => ["ringdesk", "ringdesk", "ringdesk"],
    Phone => ["電話", "Phone", "전화"],
    Close => ["閉じる", "Close", "닫기"],
    CtiLogin => ["CTIログイン", "CTI login", "CTI 로그인"],
    CtiLogout => ["CTIログアウト", "CTI logout", "CTI 로그아웃"],
    CurrentStatus => ["現在のステータス", "Current status", "현재 상태"],
    StatusLoggedOut => ["CTI未ログイン", "Not logged in to CTI", "CTI 미로그인"],
    StatusBusy => ["業務", "Busy", "업무"],
    StatusReady => ["待機", "Ready", "대기"],
    StatusBreak => ["休憩", "Break", "휴식"],
    StatusRinging => ["着信中", "Ringing", "착신 중"],
    StatusDialing => ["発信中", "Dialing", "발신 중"],
    StatusInCall => ["通話中", "On a call", "통화 중"],
    StatusConsulting => ["通話中(転換)", "On a call (transferring)", "통화 중(전환)"],
    StatusOnHold => ["保留中", "On hold", "보류 중"],
    StatusWrapup => ["業務(チケット処理)", "Busy (ticket work)", "업무(티켓 처리)"],
    StatusMeaningLoggedOut => ["電話に接続していません", "Not connected to the phone", "전화에 연결되지 않음"],
    StatusMeaningBusy => ["他の業務中・着信なし", "Other work, no calls", "기타 업무, 착신 없음"],
    StatusMeaningReady => ["着信を受けられます", "Ready for calls", "착신 대기"],
    StatusMeaningBreak => ["休憩中・着信なし", "On a break, no calls", "휴식, 착신 없음"],
    StatusMeaningRinging => ["着信があります", "A call is ringing", "착신 중"],
    StatusMeaningDialing => ["発信しています", "Dialing", "발신 중"],
    StatusMeaningInCall => ["通話しています", "On a call", "통화 중"],
    StatusMeaningConsulting => ["転送先と協議中", "Consulting the transfer target", "전환 대상과 협의 중"],
    StatusMeaningOnHold => ["お客様は保留中", "Customer on hold", "고객 보류 중"],
    StatusMeaningWrapup => ["チケットを処理してください", "Finish the ticket", "티켓을 처리하세요"],
    ChooseStatus => ["ステータスを選ぶ", "Choose a status", "상태 선택"],
    RingTone => ["着信音", "Ring tone", "착신음"],
    CallsWaiting => ["待ち呼", "Calls waiting", "대기 호"],
    Dial => ["かける", "Call", "전화 걸기"],
    DialTitle => ["発信", "Place a call", "발신"],
    DialNumber => ["電話番号", "Phone number", "전화번호"],
    CallerNumber => ["発信番号", "Caller number", "발신 번호"],
    Confirm => ["確認", "Confirm", "확인"],
    CancelDial => ["キャンセル", "Cancel", "취소"],
    Dialing => ["発信中の相手", "Calling", "발신 상대"],
    CallThisNumber => ["この番号にかける", "Call this number", "이 번호로 전화"],
    OutcomeNoAnswer => ["応答がありませんでした", "No answer", "응답이 없었습니다"],
    OutcomeBusy => ["話し中でした", "The line was busy", "통화 중이었습니다"],
    OutcomeRejected => ["相手が着信を拒否しました", "The call was refused", "상대가 착신을 거부했습니다"],
    OutcomeCancelled => ["発信を取り消しました", "You cancelled the call", "발신을 취소했습니다"],
    OutboundCallSubject => ["電話発信", "Outgoing call", "전화 발신"],
    Answer => ["応答", "Answer", "응답"],
    HangUp => ["終話", "End call", "통화 종료"],
    IncomingCall => ["着信", "Incoming call", "착신"],
    Caller => ["発信者", "Caller", "발신자"],
    CallWith => ["通話相手", "On the line", "통화 상대"],
    OpenTicket => ["チケットを開く", "Open the ticket", "티켓 열기"],
    Connecting => ["接続しています…", "Connecting…", "연결 중…"],
    LiveLost => ["電話サーバーとの接続が切れました。再接続しています…", "Lost the link to the phone server. Reconnecting…", "전화 서버와 연결이 끊겼습니다. 재연결 중…"],
    SignInTitle => ["ログイン", "Sign in", "로그인"],
    Username => ["ユーザー名", "Username", "사용자 이름"],
    Password => ["パスワード", "Password", "비밀번호"],
    SignIn => ["ログイン", "Sign in", "로그인"],
    SignOut => ["ログアウト", "Sign out", "로그아웃"],
    Language => ["表示言語", "Language", "표시 언어"],
    Board => ["ボード", "Board", "보드"],
    BreakReasonsTitle => ["休憩理由", "Break reasons", "휴식 사유"],
    BreakReasonsHint => ["ボードでオペレーターを休憩にするときに選ぶ理由です", "What a supervisor picks from when setting an agent to 休憩 on the board", "보드에서 상담원을 휴식으로 바꿀 때 고르는 사유입니다"],
    BreakReason => ["休憩理由", "Break reason", "휴식 사유"],
    AutoPauseReason => ["不在", "Away", "부재"],
    NoBreakReason => ["（理由なし）", "(no reason)", "(사유 없음)"],
    SetStatus => ["ステータス変更", "Set status", "상태 변경"],
    SetStatusOf => ["のステータス", "'s status", "의 상태"],
    SetStatusAfterCall => ["通話中です。通話が終わると変わります", "On a call: the status changes when the call ends", "통화 중입니다. 통화가 끝나면 바뀝니다"],
    PendingAfterCall => ["通話後", "After the call", "통화 후"],
    Change => ["変更", "Change", "변경"],
    BoardAgents => ["オペレーターの状況", "Agents", "상담원 현황"],
    BoardInStatus => ["経過時間", "Time in status", "경과 시간"],
    BoardCall => ["通話", "Call", "통화"],
    BoardOldestWait => ["最長待ち（現在）", "Longest waiting now", "최장 대기(현재)"],
    BoardToday => ["本日", "Today", "오늘"],
    Reports => ["レポート", "Reports", "보고서"],
    ReportInterval => ["集計間隔", "Interval", "집계 간격"],
    IntervalQuarter => ["15分", "15 minutes", "15분"],
    IntervalHalf => ["30分", "30 minutes", "30분"],
    IntervalHour => ["60分", "60 minutes", "60분"],
    IntervalDay => ["1日", "1 day", "1일"],
    ReportService => ["サービス", "Service", "서비스"],
    AllServices => ["すべてのサービス", "All services", "모든 서비스"],
    ShortAbandonLabel => ["短い放棄を除く（秒）", "Leave out abandons under (seconds)", "짧은 포기 제외(초)"],
    ShortAbandonHint => ["この秒数より早く切れた着信は、着信数にも放棄数にも数えません。0ならすべて数えます", "Calls abandoned sooner than this count as neither offered nor abandoned; 0 counts them all", "이 초보다 빨리 끊긴 착신은 착신 수에도 포기 수에도 세지 않습니다. 0이면 모두 셉니다"],
    ShowReport => ["表示", "Show", "표시"],
    DownloadCsv => ["CSVダウンロード", "Download CSV", "CSV 다운로드"],
    ReportPeriod => ["時間帯", "Interval", "시간대"],
    ReportTotal => ["合計", "Total", "합계"],
    ReportAgents => ["オペレーター別", "By agent", "상담원별"],
    ReportAgentCalls => ["応対", "Calls", "응대"],
    ReportTimeInStatus => ["ステータス別時間", "Time in each status", "상태별 시간"],
    ReportOffers => ["着信", "Offers", "착신"],
    ReportMissed => ["不応答", "Missed", "무응답"],
    ReportHandled => ["対応件数", "Calls handled", "처리 건수"],
    ReportLoggedIn => ["ログイン時間", "Logged in", "로그인 시간"],
    ReportCallsChart => ["応答と放棄", "Answered and abandoned", "응답과 포기"],
    ReportStatusChart => ["ステータス別時間の内訳", "How agents spent their time", "상태별 시간 내역"],
    ReportNoCalls => ["この期間の着信はありません", "No calls in this range", "이 기간의 착신이 없습니다"],
    ReportThresholdNote => ["サービスレベルは待ち始めてから{}秒以内の応答を数えています（CTI設定）", "The service level counts answers within {} s of joining the queue (CTI settings)", "서비스 레벨은 대기 시작 후 {}초 이내의 응답을 셉니다(CTI 설정)"],
    ReportKind => ["区分", "Kind", "구분"],
    ReportName => ["名前", "Name", "이름"],
    ReportAnsweredWithin => ["基準内応答数", "Answered within threshold", "기준 내 응답 수"],
    ErrShortAbandon => ["0〜120の整数で入力してください", "Enter a whole number from 0 to 120", "0~120 사이의 정수를 입력하세요"],
    ErrReportTooLong => ["期間が長すぎます。集計間隔を長くするか、期間を短くしてください", "Too long a range for this interval: take a longer interval or a shorter range", "기간이 너무 깁니다. 집계 간격을 늘리거나 기간을 줄이세요"],
    BoardOffered => ["着信数", "Offered", "착신 수"],
    BoardAnswered => ["応答数", "Answered", "응답 수"],
    BoardAbandoned => ["放棄数", "Abandoned", "포기 수"],
    BoardServiceLevel => ["サービスレベル", "Service level", "서비스 레벨"],
    BoardAverageAnswer => ["平均応答時間", "Average speed of answer", "평균 응답 시간"],
    BoardAverageHandle => ["平均処理時間", "Average handle time", "평균 처리 시간"],
    BoardLongestWait => ["最長待ち時間", "Longest wait", "최장 대기 시간"],
    Tickets => ["チケット", "Tickets", "티켓"],
    NoTickets => ["チケットはまだありません", "No tickets yet", "아직 티켓이 없습니다"],
    Ticket => ["チケット", "Ticket", "티켓"],
    Subject => ["件名", "Subject", "제목"],
    CustomerNumber => ["お客様の電話番号", "Customer number", "고객 전화번호"],
    TicketStatus => ["ステータス", "Status", "상태"],
    Channel => ["チャネル", "Channel", "채널"],
    ChannelPhone => ["電話", "Phone", "전화"],
    Assignee => ["担当者", "Assignee", "담당자"],
    CreatedAt => ["作成日時", "Created", "작성 일시"],
    TicketOpen => ["未対応", "Open", "미처리"],
    TicketPending => ["保留", "Pending", "보류"],
    TicketSolved => ["解決済み", "Solved", "해결됨"],
    TicketClosed => ["完了", "Closed", "종료"],
    InboundCallSubject => ["電話着信", "Incoming call", "전화 착신"],
    CallLog => ["通話記録", "Call log", "통화 기록"],
    Direction => ["方向", "Direction", "방향"],
    Inbound => ["着信", "Inbound", "착신"],
    Outbound => ["発信", "Outbound", "발신"],
    QueuedAt => ["受付", "Queued", "접수"],
    AnsweredAt => ["応答", "Answered", "응답"],
    EndedAt => ["終了", "Ended", "종료"],
    EndReason => ["終了理由", "End reason", "종료 사유"],
    EndCustomerHangup => ["お客様が切断", "Customer hung up", "고객이 끊음"],
    EndAgentHangup => ["担当者が終話", "Agent ended the call", "상담원이 종료"],
    EndAbandoned => ["放棄呼", "Abandoned", "포기 호"],
    EndNoAnswer => ["応答なし", "No answer", "응답 없음"],
    EndBusy => ["話し中", "Busy", "통화 중"],
    EndRejected => ["拒否", "Refused", "거부"],
    EndCancelled => ["発信取消", "Cancelled", "발신 취소"],
    EndServerRestart => ["サーバー再起動で切断", "Cut off by a server restart", "서버 재시작으로 끊김"],
    InProgress => ["通話中", "In progress", "진행 중"],
    Back => ["戻る", "Back", "뒤로"],
    ErrUnauthorized => ["ログインしてください", "Please sign in", "로그인하세요"],
    ErrBadCredentials => ["ユーザー名またはパスワードが違います", "Wrong username or password", "사용자 이름 또는 비밀번호가 틀립니다"],
    ErrTooManyAttempts => ["サインインの失敗が続いています。しばらく待ってからもう一度お試しください", "Too many failed sign-ins. Wait a moment, then try again", "로그인 실패가 계속되었습니다. 잠시 후 다시 시도하세요"],
    ErrForbidden => ["この操作の権限がありません", "You may not do this", "이 작업의 권한이 없습니다"],
    ErrNotFound => ["見つかりません", "Not found", "찾을 수 없습니다"],
    ErrNotAllowedNow => ["現在のステータスではこの操作はできません", "Not possible in the current status", "현재 상태에서는 할 수 없습니다"],
    ErrOfferGone => ["この着信はもう応答できません", "This call can no longer be answered", "이 착신은 더 이상 응답할 수 없습니다"],
    ErrCallGone => ["この通話はすでに終了しています", "This call has already ended", "이 통화는 이미 종료되었습니다"],
    ErrTargetNotReady => ["転送先が応答できる状態ではありません", "The transfer target is not available", "전환 대상이 응답할 수 없는 상태입니다"],
    ErrNoPhonePermission => ["電話権限がありません", "You do not have the phone permission", "전화 권한이 없습니다"],
    ErrNoCtiIdentity => ["CTI IDまたはCTI番号が設定されていません。管理者に連絡してください", "No CTI ID or CTI number is set for you. Ask your administrator", "CTI ID 또는 CTI 번호가 설정되지 않았습니다. 관리자에게 문의하세요"],
    ErrInvalidNumber => ["電話番号の形式が正しくありません", "The phone number is not valid", "전화번호 형식이 올바르지 않습니다"],
    ErrOutboundDisabled => ["契約に発信(OB)が含まれていません", "Your contract does not include outbound calls", "계약에 발신(OB)이 포함되어 있지 않습니다"],
    ErrCallerNumberNotRegistered => ["この発信番号はサービスに登録されていません", "This caller number is not registered for the service", "이 발신 번호는 서비스에 등록되어 있지 않습니다"],
    ErrInvalidInput => ["入力内容を確認してください", "Please check the marked fields", "입력 내용을 확인하세요"],
    ErrAudioRefused => ["音声の接続を確立できませんでした。もう一度お試しください", "The audio connection could not be made. Please try again", "음성 연결을 설정할 수 없습니다. 다시 시도하세요"],
    ErrAudioConnectionGone => ["音声の接続が切れました。接続し直します", "The audio connection was lost. Connecting again", "음성 연결이 끊어졌습니다. 다시 연결합니다"],
    ErrEndpointDuringCall => ["通話中は通話デバイスを変更できません", "You cannot change where you talk during a call", "통화 중에는 통화 장치를 변경할 수 없습니다"],
    ErrInternal => ["サーバーでエラーが発生しました。もう一度お試しください", "Something went wrong on the server. Please try again", "서버에서 오류가 발생했습니다. 다시 시도하세요"],
    ErrNetwork => ["サーバーに接続できません", "Cannot reach the server", "서버에 연결할 수 없습니다"],
    AdminWhole => ["全体管理", "Administration", "전체 관리"],
    AdminCti => ["CTI管理", "CTI", "CTI 관리"],
    CtiSettingsTitle => ["CTI設定", "CTI settings", "CTI 설정"],
    Telephony => ["電話システム", "Telephone system", "전화 시스템"],
    TelephonySimulator => ["内蔵シミュレーター", "Built-in simulator", "내장 시뮬레이터"],
    TelephonySip => ["SIP（キャリアの回線とオペレーターの電話機）", "SIP (the carrier's trunk and agents' phones)", "SIP(통신사 회선과 상담원 전화기)"],
    TelephonyNone => ["なし（着信も発信もできません）", "None (no calls in or out)", "없음(착신도 발신도 할 수 없습니다)"],
    PhoneBehaviour => ["電話の動作", "Phone behaviour", "전화 동작"],
    RingTimeoutLabel => ["呼出時間（秒）", "Ring timeout (seconds)", "호출 시간(초)"],
    RingTimeoutHint => ["5〜120秒。応答がなければ次の待機中オペレーターへ", "5 to 120 s; unanswered calls go to the next ready agent", "5~120초. 응답이 없으면 다음 대기 상담원에게"],
    AnswerWaitingLabel => ["待ち呼", "Callers waiting", "대기 호"],
    AnswerWaitingOff => ["呼出音のまま待つ（オペレーターが応答するまで応答しない）", "Hear ringing until an agent answers", "상담원이 응답할 때까지 연결음을 듣습니다"],
    AnswerWaitingOn => ["すぐに応答して保留音を流す", "Answered at once, with the hold music", "바로 응답하고 보류음을 들려줍니다"],
    AwayAfterLabel => ["離席とみなすまで（秒）", "Away after (seconds)", "자리 비움 판정까지(초)"],
    AwayAfterHint => ["電話ウィジェットを開いている画面も登録された電話機もないオペレーターには、この時間が過ぎると着信を割り当てません", "An agent with no phone widget open and no registered phone gets no calls after this long", "전화 위젯을 연 화면도 등록된 전화기도 없는 상담원에게는 이 시간이 지나면 착신을 배정하지 않습니다"],
    ServiceLevelLabel => ["サービスレベルの基準（秒）", "Service level threshold (seconds)", "서비스 레벨 기준(초)"],
    ServiceLevelHint => ["待ち始めてからこの秒数以内に応答した着信を、ボードとレポートでサービスレベル内と数えます", "Calls answered within this many seconds of joining the queue count as within the service level on the board and in reports", "대기 시작 후 이 초 이내에 응답한 착신을 보드와 보고서에서 서비스 레벨 내로 셉니다"],
    RoutingPolicies => ["ルーティング", "Routing", "라우팅"],
    WrapupLimitLabel => ["後処理の上限（秒）", "After-call work limit (seconds)", "후처리 상한(초)"],
    WrapupLimitHint => ["業務(チケット処理)がこの秒数を過ぎると待機に戻します。0は上限なし", "After this long in 業務(チケット処理) an agent is 待機 again; 0 for no limit", "업무(티켓 처리)가 이 초를 넘으면 대기로 돌아갑니다. 0은 상한 없음"],
    ErrWrapupLimit => ["0〜3600の整数で入力してください", "Enter a whole number from 0 to 3600", "0~3600 사이의 정수를 입력하세요"],
    AutoPauseLabel => ["連続不応答で休憩（回）", "Break after missed calls in a row", "연속 무응답 시 휴식(회)"],
    AutoPauseHint => ["続けてこの回数の着信に応答しなかったオペレーターを、理由「不在」で休憩にします。0はしない", "An agent who lets this many offers in a row ring out goes to 休憩 with the reason 不在; 0 for never", "연속으로 이 횟수의 착신에 응답하지 않은 상담원을 사유 '부재'로 휴식으로 바꿉니다. 0은 하지 않음"],
    ErrAutoPauseAfter => ["0〜10の整数で入力してください", "Enter a whole number from 0 to 10", "0~10 사이의 정수를 입력하세요"],
    ErrServiceLevel => ["1〜600の整数で入力してください", "Enter a whole number from 1 to 600", "1~600 사이의 정수를 입력하세요"],
    ErrAwayAfter => ["10〜600の整数で入力してください", "Enter a whole number from 10 to 600", "10~600 사이의 정수를 입력하세요"],
    LogoutAfterLabel => ["CTI自動ログアウト（分）", "Automatic CTI logout (minutes)", "CTI 자동 로그아웃(분)"],
    LogoutAfterHint => ["離席したままこの時間が過ぎると、CTIからログアウトします", "Still away after this long, the agent is logged out of CTI", "자리 비움 상태로 이 시간이 지나면 CTI에서 로그아웃됩니다"],
    ErrLogoutAfter => ["1〜480の整数で入力してください", "Enter a whole number from 1 to 480", "1~480 사이의 정수를 입력하세요"],
    ErrRingTimeout => ["5〜120の整数で入力してください", "Enter a whole number from 5 to 120", "5~120 사이의 정수를 입력하세요"],
    LoginStatusLabel => ["CTIログイン時のステータス", "Status at CTI login", "CTI 로그인 시 상태"],
    MissedOfferLabel => ["応答しなかったオペレーター", "An agent who misses a call", "응답하지 않은 상담원"],
    MissedStayReady => ["待機のまま", "stays Ready", "대기 유지"],
    MissedToBusy => ["業務に移す", "moves to Busy", "업무로 이동"],
    OutboundTicketLabel => ["アウトバウンドチケット自動生成", "Outbound ticket creation", "아웃바운드 티켓 자동 생성"],
    OutboundTicketOff => ["無効（相手が応答したとき作成）", "Off (when the customer answers)", "무효(상대가 응답할 때 생성)"],
    OutboundTicketOn => ["有効（発信したとき作成）", "On (when dialling)", "유효(발신할 때 생성)"],
    ForceEndMessageLabel => ["強制終了メッセージ（既定）", "Default forced-termination message", "강제 종료 메시지(기본)"],
    ErrForceEndMessage => ["1〜500文字で入力してください", "Enter 1 to 500 characters", "1~500자로 입력하세요"],
    HoldMusicLabel => ["保留音", "Hold music", "보류음"],
    HoldMusicClassic => ["クラシック", "Classic", "클래식"],
    HoldMusicGentle => ["やさしいメロディー", "Gentle melody", "부드러운 멜로디"],
    HoldMusicNone => ["なし（無音）", "None (silence)", "없음(무음)"],
    HoldMusicOwn => ["アップロードした音源", "Uploaded recording", "업로드한 음원"],
    HoldMusicFileLabel => ["保留音ファイル", "Hold music file", "보류음 파일"],
    HoldMusicFileHint => ["WAV・MP3など。1秒〜5分。電話の音質（8 kHz）に変換して保存します。", "WAV, MP3 and the like; 1 second to 5 minutes. Kept at telephone quality (8 kHz).", "WAV, MP3 등. 1초~5분. 전화 음질(8 kHz)로 변환해 저장합니다."],
    Upload => ["アップロード", "Upload", "업로드"],
    HoldMusicUploaded => ["アップロードしました。「保存」で保留音に使います。", "Uploaded. Press Save to use it as the hold music.", "업로드했습니다. 「저장」을 누르면 보류음으로 사용합니다."],
    HoldMusicCurrent => ["アップロード済み", "Uploaded", "업로드됨"],
    ErrChoice => ["選択肢から選んでください", "Pick one of the choices", "선택지에서 고르세요"],
    ErrNoHoldMusicFile => ["先に保留音ファイルをアップロードしてください", "Upload a hold music file first", "먼저 보류음 파일을 업로드하세요"],
    ErrHoldMusicLength => ["1秒から5分までの音声ファイルを選んでください", "Choose an audio file of 1 second to 5 minutes", "1초에서 5분까지의 음성 파일을 고르세요"],
    Save => ["保存", "Save", "저장"],
    Saved => ["保存しました", "Saved", "저장했습니다"],
    ProblemRequired => ["入力してください", "Required", "입력하세요"],
    ProblemTooLong => ["長すぎます", "Too long", "너무 깁니다"],
    ProblemUsername => ["半角英小文字・数字・「._-」の3〜32文字で入力してください", "Use 3 to 32 of a–z, 0–9, . _ -", "영문 소문자·숫자·「._-」 3~32자로 입력하세요"],
    ProblemPasswordTooShort => ["8文字以上で入力してください", "Use at least 8 characters", "8자 이상 입력하세요"],
    ProblemWrongPassword => ["現在のパスワードが違います", "This is not your current password", "현재 비밀번호가 아닙니다"],
    ProblemPasswordMismatch => ["新しいパスワードと一致しません", "Does not match the new password", "새 비밀번호와 일치하지 않습니다"],
    Account => ["アカウント", "Account", "계정"],
    ChangePassword => ["パスワード変更", "Change password", "비밀번호 변경"],
    CurrentPassword => ["現在のパスワード", "Current password", "현재 비밀번호"],
    NewPassword => ["新しいパスワード", "New password", "새 비밀번호"],
    ConfirmPassword => ["新しいパスワード（確認）", "New password (again)", "새 비밀번호 (확인)"],
    ChangePasswordHint => ["8文字以上。変更すると、このブラウザ以外でのログインはすべて終了します。", "At least 8 characters. Changing it signs you out everywhere but in this browser.", "8자 이상. 변경하면 이 브라우저 외의 모든 로그인이 종료됩니다."],
    ChangePasswordSubmit => ["変更", "Change", "변경"],
    PasswordChanged => ["パスワードを変更しました。ほかのログインは終了しました。", "Password changed. You are signed out everywhere else.", "비밀번호를 변경했습니다. 다른 로그인은 종료되었습니다."],
    ProblemCtiId => ["半角英数字・「._-」の32文字以内で入力してください", "Use up to 32 of A–Z, a–z, 0–9, . _ -", "영숫자·「._-」 32자 이내로 입력하세요"],
    ProblemCtiNumber => ["2〜10桁の数字で入力してください", "Enter 2 to 10 digits", "2~10자리 숫자로 입력하세요"],
    ProblemTaken => ["すでに使われています", "Already in use", "이미 사용 중입니다"],
    ServiceAdmin => ["サービス管理", "Services", "서비스 관리"],
    PlatformAdmin => ["テナント管理", "Tenants", "테넌트 관리"],
    Contract => ["契約", "Contract", "계약"],
    Tenant => ["テナント", "Tenant", "테넌트"],
    FeatureInbound => ["電話CTIを使用する – IB", "Use phone CTI – IB (inbound)", "전화 CTI 사용 – IB"],
    FeatureOutbound => ["電話CTIを使用する – OB", "Use phone CTI – OB (outbound)", "전화 CTI 사용 – OB"],
    ContractReadOnly => ["契約の変更はプラットフォーム管理者が行います", "The platform administrator changes contracts", "계약 변경은 플랫폼 관리자가 합니다"],
    Enabled => ["有効", "On", "유효"],
    Disabled => ["無効", "Off", "무효"],
    Services => ["サービス", "Services", "서비스"],
    InboundNumber => ["着信番号", "Inbound number", "착신 번호"],
    Operators => ["オペレーター", "Operators", "상담원"],
    PhoneMenu => ["電話", "Phone", "전화"],
    CallerNumbersTitle => ["発信番号管理", "Caller numbers", "발신 번호 관리"],
    CtiOperatorsTitle => ["CTIオペレータ管理", "CTI operators", "CTI 상담원 관리"],
    AuditLogTitle => ["監査ログ", "Audit log", "감사 로그"],
    DisplayName => ["表示名", "Name", "표시 이름"],
    Role => ["役割", "Role", "역할"],
    RolePlatformAdmin => ["プラットフォーム管理者", "Platform admin", "플랫폼 관리자"],
    RoleTenantAdmin => ["全体管理者", "Tenant admin", "전체 관리자"],
    RoleServiceAdmin => ["サービス管理者", "Service admin", "서비스 관리자"],
    RoleOperator => ["オペレーター", "Operator", "상담원"],
    PhonePermission => ["電話権限", "Phone permission", "전화 권한"],
    AccountActive => ["アカウント有効", "Account active", "계정 유효"],
    AccountState => ["状態", "State", "상태"],
    CtiIdentity => ["CTI ID・番号", "CTI ID and number", "CTI ID·번호"],
    CtiId => ["CTI ID", "CTI ID", "CTI ID"],
    CtiNumber => ["CTI番号", "CTI number", "CTI 번호"],
    NotSet => ["未設定", "Not set", "미설정"],
    Set => ["設定済み", "Set", "설정됨"],
    AddOperator => ["オペレーターを追加", "Add an operator", "상담원 추가"],
    Edit => ["編集", "Edit", "편집"],
    Cancel => ["キャンセル", "Cancel", "취소"],
    Add => ["追加", "Add", "추가"],
    Remove => ["削除", "Remove", "삭제"],
    Label => ["ラベル", "Label", "라벨"],
    NothingYet => ["まだありません", "Nothing yet", "아직 없습니다"],
    AuditAt => ["日時", "When", "일시"],
    AuditActor => ["実行者", "Who", "실행자"],
    AuditAction => ["操作", "What", "작업"],
    AuditSubject => ["対象", "Subject", "대상"],
    AuditChanges => ["変更内容", "Changes", "변경 내용"],
    AuditContractUpdate => ["契約の変更", "Contract changed", "계약 변경"],
    AuditCtiSettingsUpdate => ["CTI設定の変更", "CTI settings changed", "CTI 설정 변경"],
    AuditOperatorCreate => ["オペレーターの追加", "Operator added", "상담원 추가"],
    AuditOperatorUpdate => ["オペレーターの変更", "Operator changed", "상담원 변경"],
    AuditCtiIdentityUpdate => ["CTI ID・番号の変更", "CTI ID and number changed", "CTI ID·번호 변경"],
    AuditSipPasswordSet => ["SIPパスワードの設定", "SIP password set", "SIP 비밀번호 설정"],
    AuditHoldMusicUpload => ["保留音のアップロード", "Hold music uploaded", "보류음 업로드"],
    AuditSignInFailed => ["サインインの失敗", "Failed sign-in", "로그인 실패"],
    SipPassword => ["SIPパスワード", "SIP password", "SIP 비밀번호"],
    SipPasswordIsSet => ["設定済み", "Set", "설정됨"],
    SetSipPassword => ["設定", "Set", "설정"],
    AuditCallerNumberAdd => ["発信番号の追加", "Caller number added", "발신 번호 추가"],
    AuditCallerNumberRemove => ["発信番号の削除", "Caller number removed", "발신 번호 삭제"],
    AuditPasswordChange => ["パスワードの変更", "Password changed", "비밀번호 변경"],
    AuditAgentStatusSet => ["オペレーターのステータス変更", "Agent's status set", "상담원 상태 변경"],
    AuditBreakReasonAdd => ["休憩理由の追加", "Break reason added", "휴식 사유 추가"],
    AuditBreakReasonRemove => ["休憩理由の削除", "Break reason removed", "휴식 사유 삭제"],
    EndpointLabel => ["通話デバイス", "Talk on", "통화 장치"],
    EndpointBrowser => ["ブラウザ", "Browser", "브라우저"],
    EndpointDeskPhone => ["SIP電話", "SIP phone", "SIP 전화"],
    AudioReady => ["音声: 接続済み", "Audio: connected", "음성: 연결됨"],
    AudioClosed => ["電話ウィンドウが開いていないため、着信は届きません", "The phone window is not open, so no calls are offered to you", "전화 창이 열려 있지 않아 착신이 오지 않습니다"],
    AudioNoPermission => ["マイクの使用が許可されていないため、着信は届きません。ブラウザの設定でマイクを許可してください", "The browser is not allowed to use the microphone, so no calls are offered to you. Allow the microphone in the browser's settings", "마이크 사용이 허용되지 않아 착신이 오지 않습니다. 브라우저 설정에서 마이크를 허용하세요"],
    AudioNoDevice => ["マイクが見つからないため、着信は届きません。マイクをつないでください", "No microphone was found, so no calls are offered to you. Connect a microphone", "마이크를 찾을 수 없어 착신이 오지 않습니다. 마이크를 연결하세요"],
    AudioTrouble => ["接続不良", "Connection trouble", "연결 불량"],
    AudioTroubleHint => ["音声の接続が切れました。自動で接続し直しています。その間、着信は届きません", "The audio connection dropped. Reconnecting by itself; no calls are offered meanwhile", "음성 연결이 끊어졌습니다. 자동으로 다시 연결하는 중이며 그동안 착신이 오지 않습니다"],
    OpenPhoneWindow => ["電話ウィンドウを開く", "Open the phone window", "전화 창 열기"],
    PhoneWindowTitle => ["ringdesk 電話", "ringdesk phone", "ringdesk 전화"],
    PhoneWindowIntro => ["このウィンドウが通話の音声を扱います。通話中も閉じないでください", "This window carries your calls' audio. Keep it open while you take calls", "이 창이 통화 음성을 처리합니다. 통화 중에는 닫지 마세요"],
    UseThisWindow => ["このウィンドウで電話を使う", "Use the phone in this window", "이 창에서 전화 사용"],
    PhoneElsewhere => ["電話は別のウィンドウで開いています", "The phone is open in another window", "전화가 다른 창에서 열려 있습니다"],
    Mute => ["ミュート", "Mute", "음소거"],
    Muted => ["ミュート中: お客様には聞こえません", "Muted: the customer cannot hear you", "음소거 중: 고객에게 들리지 않습니다"],
    MicLevel => ["マイク音量", "Microphone level", "마이크 음량"],
    Microphone => ["マイク", "Microphone", "마이크"],
    Speaker => ["スピーカー", "Speaker", "스피커"],
    DefaultDevice => ["既定", "Default", "기본값"],
    PhoneMissing => ["電話機が登録されていないため、着信は届きません", "Your phone is not registered, so no calls are offered to you", "전화기가 등록되지 않아 착신이 오지 않습니다"],
    PhoneRevoked => ["電話権限が取り消されました。CTIからログアウトしました", "Your phone permission was withdrawn; you are logged out of CTI", "전화 권한이 취소되어 CTI에서 로그아웃되었습니다"],
    Hold => ["保留", "Hold", "보류"],
    Release => ["解除", "Resume", "해제"],
    ForceEnd => ["強制終了", "Force end", "강제 종료"],
    ForceEndHint => ["お客様にこのメッセージを再生してから通話を終了します", "The customer hears this message, then the call ends", "고객에게 이 메시지를 재생한 후 통화를 종료합니다"],
    ForceEndMessage => ["ガイダンスメッセージ", "Guidance message", "안내 메시지"],
    EndTransferred => ["外部へ転送", "Transferred outside", "외부로 전환"],
    EndForceTerminated => ["強制終了", "Force-terminated", "강제 종료"],
    Transfer => ["転送", "Transfer", "전환"],
    DirectInput => ["直接入力", "Enter a number", "직접 입력"],
    ConsultCall => ["協議通話", "Consult call", "협의 통화"],
    FavouriteNumbers => ["よく使われる転換番号", "Frequent numbers", "자주 쓰는 전환 번호"],
    ReadyOperators => ["待機中のオペレーター", "Ready agents", "대기 중인 상담원"],
    NoReadyOperators => ["待機中のオペレーターはいません", "No agent is ready", "대기 중인 상담원이 없습니다"],
    Connect => ["接続", "Connect", "연결"],
    ConnectCustomer => ["顧客接続", "Connect customer", "고객 연결"],
    Search => ["検索（名前・CTI番号）", "Search (name or CTI number)", "검색(이름·CTI 번호)"],
    ConsultWith => ["協議先", "Consulting", "협의 대상"],
    ConsultFrom => ["協議の依頼", "Consult call from", "협의 요청"],
    ConsultRinging => ["呼出中", "Ringing", "호출 중"],
    ConsultTalking => ["通話中", "On the line", "통화 중"],
    MenuPath => ["メニューの位置", "Menu path", "메뉴 위치"],
    NotFoundPage => ["ページが見つかりません", "Page not found", "페이지를 찾을 수 없습니다"],
    ErrStale => ["このチケットは他の人が先に更新しました。入力した内容は残っています。最新の内容を読み込んでから、もう一度保存してください。", "Someone else updated this ticket first. Your changes are still here: load the latest version, then save again.", "다른 사람이 먼저 이 티켓을 수정했습니다. 입력한 내용은 남아 있습니다. 최신 내용을 불러온 뒤 다시 저장하세요."],
    ErrCustomerStale => ["この顧客情報は他の人が先に更新しました。最新の内容を読み込んでから、もう一度保存してください。", "Someone else updated this customer first: load the latest, then save again.", "다른 사람이 먼저 이 고객 정보를 수정했습니다. 최신 내용을 불러온 뒤 다시 저장하세요."],
    ErrDate => ["日付は YYYY-MM-DD の形で入力してください", "Enter a date as YYYY-MM-DD", "날짜는 YYYY-MM-DD 형식으로 입력하세요"],
    ErrDateOrder => ["終了日は開始日以降にしてください", "The end date must not be before the start date", "종료일은 시작일 이후여야 합니다"],
    Filters => ["絞り込み", "Filters", "필터"],
    ApplyFilters => ["絞り込む", "Apply", "적용"],
    ClearFilters => ["条件をクリア", "Clear filters", "조건 지우기"],
    Any => ["すべて", "Any", "전체"],
    AssigneeMe => ["自分", "Me", "나"],
    Unassigned => ["未割り当て", "Unassigned", "미지정"],
    ChannelEmail => ["メール", "Email", "이메일"],
    ChannelWeb => ["Web", "Web", "웹"],
    CreatedFrom => ["作成日（から）", "Created from", "작성일(부터)"],
    CreatedTo => ["作成日（まで）", "Created to", "작성일(까지)"],
    Sort => ["並び順", "Sort", "정렬"],
    SortCreatedDesc => ["作成日時の新しい順", "Newest first", "작성 일시 최신순"],
    SortCreatedAsc => ["作成日時の古い順", "Oldest first", "작성 일시 오래된 순"],
    SortUpdatedDesc => ["更新日時の新しい順", "Recently updated first", "수정 일시 최신순"],
    SortUpdatedAsc => ["更新日時の古い順", "Least recently updated first", "수정 일시 오래된 순"],
    NextPage => ["次へ", "Next", "다음"],
    PrevPage => ["前へ", "Previous", "이전"],
    Pagination => ["ページ送り", "Pages", "페이지"],
    CountSuffix => ["件", " tickets", "건"],
    NoMatches => ["条件に合うチケットはありません", "No tickets match the filters", "조건에 맞는 티켓이 없습니다"],
    UpdatedAt => ["更新日時", "Updated", "수정 일시"],
    Body => ["内容", "Description", "내용"],
    ReloadLatest => ["最新の内容を読み込む", "Load the latest", "최신 내용 불러오기"],
    InternalNotes => ["社内メモ", "Internal notes", "내부 메모"],
    NewNote => ["新しいメモ", "New note", "새 메모"],
    AddNote => ["メモを追加", "Add note", "메모 추가"],
    NoNotes => ["メモはまだありません", "No notes yet", "아직 메모가 없습니다"],
    Customer => ["顧客", "Customer", "고객"],
    CustomerName => ["顧客名", "Customer name", "고객명"],
    CustomerNotes => ["顧客メモ", "Customer notes", "고객 메모"],
    SaveCustomer => ["顧客を保存", "Save customer", "고객 저장"],
    UnknownCustomer => ["未登録の番号です", "Not a known customer", "등록되지 않은 번호입니다"],
    RecentTickets => ["最近のチケット", "Recent tickets", "최근 티켓"],
    ServiceNumber => ["サービス番号", "Service number", "서비스 번호"],
    OfferedAt => ["呼出", "Offered", "호출"],
    AgentsInvolved => ["対応者", "Agents", "응대자"],
    TalkTime => ["通話時間", "Talk time", "통화 시간"],
    HoldTime => ["保留時間", "Hold time", "보류 시간"],
    TimesSuffix => ["回", "×", "회"],
    ExportCalls => ["通話記録のCSV出力", "Export the call log (CSV)", "통화 기록 CSV 내보내기"],
    DateFrom => ["開始日", "From", "시작일"],
    DateTo => ["終了日", "To", "종료일"],
    Export => ["CSV出力", "Export CSV", "CSV 내보내기"],
    CallId => ["通話ID", "Call ID", "통화 ID"],
    Seconds => ["秒", "s", "초"],
    HoldCount => ["保留回数", "Holds", "보류 횟수"],
    EndedBy => ["終了した担当者", "Ended by", "종료한 상담원"],
    ForceEndMessagePlayed => ["強制終了メッセージ", "Force-end message", "강제 종료 메시지"],
    PageStopped => ["この画面は動かなくなりました。新しい版に更新された可能性があります。再読み込みしてください（通話と入力済みの保存内容は失われません）。", "This page has stopped working, perhaps because ringdesk was updated. Please reload it (calls and what was saved are not lost).", "이 화면이 작동을 멈췄습니다. ringdesk가 업데이트되었을 수 있습니다. 다시 불러와 주세요(통화와 저장된 내용은 사라지지 않습니다)."],
    Reload => ["再読み込み", "Reload", "다시 불러오기"],
}

thread_local! {
    /// The page's locale in the browser, where islands start without the server's context.
    static PAGE_LOCALE: std::cell::Cell<Option<Locale>> = const { std::cell::Cell::new(None) };
}

/// Sets the page's locale for the islands of this page load: the wasm's entry does so
/// from the session the page carries, before any island starts.
pub fn set_page_locale(locale: Locale) {
    PAGE_LOCALE.with(|l| l.set(Some(locale)));
}

/// The locale of this page load. The server renders a page with the session's locale
/// in context; an island, started in the browser on its own, has the page's.
pub fn locale() -> Locale {
    leptos::prelude::use_context::<Locale>().or_else(|| PAGE_LOCALE.with(|l| l.get())).unwrap_or_default()
}

/// `key` in the locale of this page load.
pub fn t(key: Key) -> &'static str {
    text(locale(), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_labels_are_exactly_those_of_the_spec() {
        // The default locale uses the product's labels of SPEC.md, character for character.
        let l = Locale::Ja;
        assert_eq!(text(l, Key::Phone), "電話");
        assert_eq!(text(l, Key::CtiLogin), "CTIログイン");
        assert_eq!(text(l, Key::Answer), "応答");
        assert_eq!(text(l, Key::StatusConsulting), "通話中(転換)");
        assert_eq!(text(l, Key::StatusWrapup), "業務(チケット処理)");
    }

    #[test]
    fn locale_tags_round_trip() {
        for l in Locale::ALL {
            assert_eq!(Locale::parse(l.tag()), Some(l));
        }
    }
}
