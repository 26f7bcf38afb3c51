using System.Data.Common;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Annotations;

/// <summary>
/// The users a note mentions, sent as ids or emails and stored as ids, in the order given and
/// once each. An unknown one is a 400 naming its place in the list.
/// </summary>
public sealed class AnnotationMentions(AnnotationQueries annotations)
{
    public async Task<List<string>> ResolveAsync(DbTransaction tx, IReadOnlyList<string?> sent, ValidationProblems problems, CancellationToken ct)
    {
        var names = sent.Select(s => s?.Trim() ?? "").ToList();
        var emails = names.Where(IsEmail).Select(UserRules.EmailKey).Distinct(StringComparer.Ordinal).ToList();
        var ids = names.Where(n => !IsEmail(n)).Distinct(StringComparer.Ordinal).ToList();
        var found = names.Count == 0 ? [] : await annotations.UsersAsync(tx, ids, emails, ct);
        var resolved = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var user = IsEmail(name)
                ? found.FirstOrDefault(u => u.EmailKey == UserRules.EmailKey(name))
                : found.FirstOrDefault(u => u.Id == name);
            if (user.Id is null)
            {
                problems.Add($"mentions[{i}]", $"No user {Quote.Of(name)}: mention users by id or email", ErrorCodes.InvalidValue);
            }
            else if (!resolved.Contains(user.Id))
            {
                resolved.Add(user.Id);
            }
        }

        return resolved;
    }

    private static bool IsEmail(string name) => name.Contains('@', StringComparison.Ordinal);
}
