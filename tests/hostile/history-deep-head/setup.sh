# The last commit holds content/d/d/.../x.md 40,000 folders deep (the
# working tree does not): the walk, the uncommitted-files check and --ref.
sh "$(dirname "$0")/../history-deep-tree/setup.sh" keep
