using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

internal sealed partial class ChainParser
{
    private static readonly string[] NotifyKeys = ["url", "on", "format"];
    private static readonly string[] NotifyEvents = ["finished", "failed", "waiting"];

    /// <summary>
    /// `notify:` — a list of `{url, on, format}`; `on` defaults to all of finished, failed and waiting, `format`
    /// to json. Where a webhook may point (not the server's own network) is the server's to check when it sends.
    /// </summary>
    private List<NotifyTarget> ParseNotify(YamlNode node)
    {
        var targets = new List<NotifyTarget>();
        if (node is not YamlSequenceNode list)
        {
            _errors.Add(
                node,
                $"'notify' must be a list of webhooks ('- url: https://…'), not {YamlReader.Describe(node)}"
            );
            return targets;
        }
        foreach (var item in list.Children)
        {
            if (_read.Map(item, "a 'notify' entry") is not { } map)
                continue;
            Uri? url = null;
            var on = new HashSet<NotifyOn>(Enum.GetValues<NotifyOn>());
            var format = NotifyFormat.Json;
            foreach (var (key, name, value) in _read.Entries(map, "a 'notify' entry"))
            {
                switch (name)
                {
                    case "url":
                        var text = _read.Text(value, "'url' of a 'notify' entry");
                        if (
                            text is not null
                            && (
                                !Uri.TryCreate(text, UriKind.Absolute, out url)
                                || url.Scheme is not ("http" or "https")
                                || url.UserInfo.Length > 0
                            )
                        )
                        {
                            _errors.Add(
                                value,
                                $"'url' of a 'notify' entry must be an http(s) URL without a password, not '{text}'"
                            );
                            url = null;
                        }
                        break;
                    case "on":
                        on.Clear();
                        foreach (
                            var (when, whenNode) in _read.StringList(
                                value,
                                "'on' of a 'notify' entry",
                                allowSingle: true
                            ) ?? []
                        )
                        {
                            if (NotifyEvents.Contains(when))
                                on.Add(Enum.Parse<NotifyOn>(when, ignoreCase: true));
                            else
                                _errors.Add(
                                    whenNode,
                                    $"'on' of a 'notify' entry takes {string.Join(", ", NotifyEvents)}, not '{when}'{KeySuggester.Hint(when, NotifyEvents)}"
                                );
                        }
                        break;
                    case "format":
                        var f = _read.Text(value, "'format' of a 'notify' entry");
                        if (f is "json" or "slack")
                            format = f == "slack" ? NotifyFormat.Slack : NotifyFormat.Json;
                        else if (f is not null)
                            _errors.Add(value, $"'format' of a 'notify' entry is 'json' or 'slack', not '{f}'");
                        break;
                    default:
                        _read.UnknownKey(key, "a 'notify' entry", NotifyKeys);
                        break;
                }
            }
            if (url is null && !map.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "url"))
                _errors.Add(map, "a 'notify' entry needs a 'url'");
            else if (url is not null)
                targets.Add(new NotifyTarget(url, on, format));
        }
        return targets;
    }
}
