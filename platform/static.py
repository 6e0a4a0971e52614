"""How static files are stored for serving: WhiteNoise's hashed, gzip- and brotli-compressed
copies, made by `collectstatic` (settings.STORAGES)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Vendored bundles (GraphiQL's) name source maps they do not ship: such a reference is left
    as it is instead of failing `collectstatic`; every other missing file still fails it."""

    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def tolerant(match):
            try:
                return convert(match)
            except ValueError:
                if match.groupdict().get("url", "").split("?")[0].endswith(".map"):
                    return match.group(0)
                raise

        return tolerant
